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

    /// <summary>The alarms on the operators' list (not closed), oldest raise first, with their audit trails.</summary>
    Task<CitySense.Contracts.Alarms.AlarmRecord[]> GetOpenAlarms();

    /// <summary>One alarm of this community, open or kept in its history; null when unknown.</summary>
    Task<CitySense.Contracts.Alarms.AlarmRecord?> GetAlarm(string alarmId);

    /// <summary>An operator's action on an alarm (docs/alarms.md), stored and announced live before it returns.</summary>
    Task<CitySense.Contracts.Alarms.AlarmDecision> OperateAlarm(string alarmId, CitySense.Contracts.Alarms.AlarmCommand command);

    /// <summary>Alarms active at some time in [fromMs, toMs), newest start first, at most <paramref name="limit"/>.</summary>
    Task<CitySense.Contracts.Alarms.AlarmRecord[]> GetAlarmHistory(long fromMs, long toMs, int limit);

    /// <summary>Escalations in this community so far.</summary>
    Task<long> GetEscalations();

    /// <summary>One meter's consumption per local day (or month) as this community counted it (the billing view).</summary>
    Task<CitySense.Contracts.History.MeterDay[]> GetMeterHistory(string device, CitySense.Contracts.History.HistoryQuery query);
}
