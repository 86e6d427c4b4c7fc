using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using Orleans.Concurrency;

namespace CitySense.Benchmarks.Routing;

/// <summary>Community, district and city grain stand-in: takes the batch the worker built and keeps nothing.</summary>
public sealed class FakeAreaGrain : ICommunityGrain, IDistrictGrain, ICityGrain
{
    public long Updates { get; private set; }

    private static readonly Task<SourceTotal[]> NoTotals = Task.FromResult(Array.Empty<SourceTotal>());

    public Task<SourceTotal[]> Apply(Immutable<IndicatorBatch> batch)
    {
        Updates += batch.Value.Updates.Length;
        return NoTotals;
    }

    public Task<CommunityDevice[]> GetDevices() => Task.FromResult(Array.Empty<CommunityDevice>());

    public Task<DeviceCheckpoint?[]> GetDeviceCheckpoints(string[] devices) => Task.FromResult(new DeviceCheckpoint?[devices.Length]);

    public Task<AreaSnapshot> GetSnapshot() => throw new NotSupportedException();

    public Task<AreaSnapshot> GetSnapshotWithWindows(int windows) => throw new NotSupportedException();

    public Task<CitySense.Contracts.History.HistoryPoint[]> GetHistory(CitySense.Contracts.History.HistoryQuery query) => throw new NotSupportedException();

    public Task<CitySense.Contracts.Vee.SuspectReading[]> GetSuspects(string? device) => throw new NotSupportedException();

    public Task<CitySense.Contracts.Vee.SuspectReading?> RejectSuspect(string device, long timestampMs, string by, string? comment) => throw new NotSupportedException();

    public Task<CitySense.Contracts.Vee.SuspectReading?> ApplyRelease(Immutable<DeviceUpdate> release) => throw new NotSupportedException();

    public Task<CitySense.Contracts.History.MeterDay[]> GetMeterHistory(string device, CitySense.Contracts.History.HistoryQuery query) => throw new NotSupportedException();

    public Task<CitySense.Contracts.Alarms.AlarmRecord[]> GetOpenAlarms() => throw new NotSupportedException();

    public Task<CitySense.Contracts.Alarms.AlarmRecord?> GetAlarm(string alarmId) => throw new NotSupportedException();

    public Task<CitySense.Contracts.Alarms.AlarmDecision> OperateAlarm(string alarmId, CitySense.Contracts.Alarms.AlarmCommand command) => throw new NotSupportedException();

    public Task<CitySense.Contracts.Alarms.AlarmRecord[]> GetAlarmHistory(long fromMs, long toMs, int limit) => throw new NotSupportedException();

    public Task<long> GetEscalations() => throw new NotSupportedException();

    public Task RegisterCommunity(string community) => Task.CompletedTask;

    public Task RegisterDistrict(string district) => Task.CompletedTask;

    public Task AdjustFlow(string kind, double delta) => Task.CompletedTask;

    public Task ReportSummary(string child, AreaSummary summary) => Task.CompletedTask;

    public Task AddDevice(string device, string kind, TimeSpan? expectedInterval) => Task.CompletedTask;

    public Task RemoveDevice(string device) => Task.CompletedTask;
}
