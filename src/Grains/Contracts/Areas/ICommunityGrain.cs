namespace CitySense.Contracts.Areas;

/// <summary>One grain per community (residential compound), keyed "{district}/{community}".</summary>
public interface ICommunityGrain : IAreaGrain, IGrainWithStringKey
{
    /// <summary>An operator provisioned a device here, or moved it here: it counts as registered from now on.</summary>
    Task AddDevice(string device, string kind, TimeSpan? expectedInterval);

    /// <summary>A device was decommissioned or moved away: it no longer counts here.</summary>
    Task RemoveDevice(string device);

    /// <summary>What this community last counted of each device, null for one it never counted; in the order given.</summary>
    Task<CitySense.Contracts.Indicators.DeviceCheckpoint?[]> GetDeviceCheckpoints(string[] devices);

    /// <summary>The devices counted here (provisioned, moved here or registered by a reading), ordered by id.</summary>
    Task<CommunityDevice[]> GetDevices();

    /// <summary>Suspect readings held here and recent decisions, of one device or (null) all.</summary>
    Task<CitySense.Contracts.Vee.SuspectReading[]> GetSuspects(string? device);

    /// <summary>Rejects a held reading (it never counts); returns it as it now stands, or null when unknown.</summary>
    Task<CitySense.Contracts.Vee.SuspectReading?> RejectSuspect(string device, long timestampMs, string by, string? comment);

    /// <summary>
    /// Applies the device's release of a held reading (<see cref="Indicators.DeviceUpdate.IsRelease"/>) here and in the
    /// district and the city, and records the decision; returns the reading as it now stands, or null when unknown.
    /// </summary>
    Task<CitySense.Contracts.Vee.SuspectReading?> ApplyRelease(Immutable<CitySense.Contracts.Indicators.DeviceUpdate> release);

    /// <summary>One meter's consumption per local day (or month) as this community counted it (the billing view).</summary>
    Task<CitySense.Contracts.History.MeterDay[]> GetMeterHistory(string device, CitySense.Contracts.History.HistoryQuery query);
}
