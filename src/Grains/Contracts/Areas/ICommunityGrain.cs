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

    /// <summary>One meter's consumption per local day (or month) as this community counted it (the billing view).</summary>
    Task<CitySense.Contracts.History.MeterDay[]> GetMeterHistory(string device, CitySense.Contracts.History.HistoryQuery query);
}
