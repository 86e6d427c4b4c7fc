using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.Alarms;
using CitySense.Grains.Domain.Areas;
using CitySense.Grains.State;
using CitySense.Output.LineProtocol;
using CitySense.Output.Schema;
using CitySense.Output.Writing;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Areas;

/// <summary>
/// Indicators of one community; key "{district}/{community}". Also the community's device roster (registered, online,
/// offline, checked by one timer for the whole community) and its alarms; their counts are reported to the district.
/// </summary>
public sealed class CommunityGrain(
    [PersistentState("area", "state")] IPersistentState<AreaState> store,
    IOptions<IndicatorOptions> options,
    IOptions<StateOptions> state,
    IOptions<LivenessOptions> liveness,
    ILineSink sink,
    ILiveFeed feed,
    TimeProvider time,
    CitySense.Grains.History.HistoryContext history,
    AreaReports reports,
    CitySense.Contracts.Subscriptions.ISubscriptionChanges subscriptions) : AreaGrain(options.Value, state.Value, store, sink, feed, time, history), ICommunityGrain
{
    /// <summary>Alarm events kept in the stored state (the API shows 50).</summary>
    private const int RecentAlarmsStored = 50;

    private readonly DeviceRoster _roster = new(liveness.Value);
    private readonly AreaAlarms _alarms = new();
    private readonly SuspectBook _suspects = new();
    private readonly List<AlarmEvent> _unwrittenAlarms = [];
    private AreaSummary _reported = AreaSummary.Empty;
    private string _district = string.Empty;
    private string _community = string.Empty;

    protected override string Level => "community";

    protected override string Measurement => InfluxSchema.Community;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        this.RegisterGrainTimer(CheckLiveness, liveness.Value.CheckInterval, liveness.Value.CheckInterval);
    }

    protected override KeyValuePair<string, string>[] Tags()
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/');
        _district = key[..slash];
        _community = key[(slash + 1)..];
        return InfluxSchema.AreaTags(_district, _community);
    }

    protected override AreaSummary Summary() => new(_roster.Counts(), _alarms.Counts());

    public Task AddDevice(string device, string kind, TimeSpan? expectedInterval)
    {
        KeepWhileHoldingData();
        _roster.Register(device, kind, expectedInterval);
        return StoreIfDurableAsync();
    }

    public Task RemoveDevice(string device)
    {
        _roster.Remove(device);
        _alarms.RemoveDevice(device);
        // Its ledger entry stays: an update from before the move may still be on its way.
        return StoreIfDurableAsync();
    }

    public Task<CitySense.Contracts.History.MeterDay[]> GetMeterHistory(string device, CitySense.Contracts.History.HistoryQuery query) =>
        GetMeterHistoryCore(device, query);

    protected override void WriteMeterDays(LineBuilder lines, CitySense.Grains.Domain.History.HistoryWritten written)
    {
        foreach (var (device, dayStartMs, measured, estimated) in written.Meters)
        {
            InfluxSchema.MeterDay(lines, _district, _community, device, measured + estimated, estimated, dayStartMs);
        }
    }

    public Task<CitySense.Contracts.Vee.SuspectReading[]> GetSuspects(string? device) => Task.FromResult(_suspects.Of(device));

    public async Task<CitySense.Contracts.Vee.SuspectReading?> RejectSuspect(string device, long timestampMs, string by, string? comment)
    {
        if (_suspects.Find(device, timestampMs) is not { State: CitySense.Contracts.Vee.SuspectState.Held } held)
        {
            return _suspects.Find(device, timestampMs);
        }

        var rejected = held with
        {
            State = CitySense.Contracts.Vee.SuspectState.Rejected,
            DecidedBy = by,
            DecidedAtMs = Time.GetUtcNow().ToUnixTimeMilliseconds(),
            Comment = comment,
            Counted = 0,
        };
        _suspects.Decide(rejected);
        await StoreIfDurableAsync();
        return rejected;
    }

    public async Task<CitySense.Contracts.Vee.SuspectReading?> ApplyRelease(Immutable<DeviceUpdate> release)
    {
        var decided = release.Value.Suspect!;
        if (_suspects.Find(decided.Device, decided.TimestampMs) is not { State: CitySense.Contracts.Vee.SuspectState.Held })
        {
            // Decided meanwhile (another operator, or a retry): the device's cumulative total still carries the step, and
            // the ledger squares it with the device's next reading.
            return _suspects.Find(decided.Device, decided.TimestampMs);
        }

        var batch = new IndicatorBatch([release.Value], []);
        var totals = await Apply(batch.AsImmutable());
        _suspects.Decide(decided);
        await StoreIfDurableAsync();
        // The district and the city fold the community's batch as the router would have sent it, and square the totals.
        var upward = new IndicatorBatch([], []) { Parts = [batch], Totals = totals }.AsImmutable();
        await GrainFactory.GetGrain<IDistrictGrain>(_district).Apply(upward);
        await GrainFactory.GetGrain<ICityGrain>(AreaKeys.City).Apply(upward);
        return decided;
    }

    public Task<DeviceCheckpoint?[]> GetDeviceCheckpoints(string[] devices) => Task.FromResult(Array.ConvertAll(devices, Ledger.Checkpoint));

    /// <summary>
    /// Each device's cumulative consumption tells what it counted: a device grain that lost its memory with its silo
    /// restarts from this community's ledger, and a batch redelivered after a failure is not counted twice here.
    /// Returns this community's totals for the district and the city.
    /// </summary>
    protected override SourceTotal[] Reconcile(IndicatorBatch batch) =>
        Reconciliation.ByDevice(this.GetPrimaryKeyString(), batch, Aggregate, Ledger, Options, Version);

    /// <summary>
    /// A device left (moved or decommissioned): its last flow leaves this community's flow sum, and the district and the
    /// city take the new sum (absolute and versioned, so it cannot be counted twice or undone by an older batch).
    /// </summary>
    public override async Task AdjustFlow(string kind, double delta)
    {
        await base.AdjustFlow(kind, delta);
        var report = new IndicatorBatch([], [])
        {
            Totals = [new SourceTotal(this.GetPrimaryKeyString(), kind, Aggregate.ConsumptionOf(kind), 0, Options.WindowStart(Time.GetUtcNow().ToUnixTimeMilliseconds()))
            {
                FlowSum = Aggregate.FlowSumOf(kind),
                Version = Version,
            }],
        }.AsImmutable();
        await GrainFactory.GetGrain<IDistrictGrain>(_district).Apply(report);
        await GrainFactory.GetGrain<ICityGrain>(AreaKeys.City).Apply(report);
    }

    protected override void Capture(AreaState state)
    {
        state.Roster = _roster.ToState();
        state.ActiveAlarms = _alarms.Active.ToArray();
        state.RecentAlarms = _alarms.Recent.Take(RecentAlarmsStored).ToArray();
        state.UnwrittenAlarms = _unwrittenAlarms.ToArray();
        state.HeldSuspects = _suspects.Held.ToArray();
        state.DecidedSuspects = _suspects.Decided.ToArray();
    }

    protected override void Restore(AreaState state)
    {
        _roster.Restore(state.Roster);
        _alarms.Restore(state.ActiveAlarms, state.RecentAlarms);
        _unwrittenAlarms.AddRange(state.UnwrittenAlarms);
        _suspects.Restore(state.HeldSuspects, state.DecidedSuspects);
    }

    protected override void OnApplied(IndicatorBatch batch)
    {
        if (subscriptions.Enabled)
        {
            // NGSI-LD subscriptions match and render off this turn (docs/sharing.md); this only queues the batch.
            subscriptions.DevicesChanged(_district, _community, batch.Updates);
        }

        foreach (var update in batch.Updates)
        {
            if (!update.Accepted || (update.Flags & DeviceUpdateFlags.Duplicate) != 0 || update.IsRelease)
            {
                continue;
            }

            if (update.Suspect is { State: CitySense.Contracts.Vee.SuspectState.Held } suspect)
            {
                _suspects.Hold(suspect, update.ReceivedAtMs);
            }

            if (_roster.Seen(update.Device, update.Kind, update.TimestampMs, update.ReceivedAtMs))
            {
                Raise(OfflineAlarm(update.Device, update.Kind, _roster.Devices[update.Device], update.ReceivedAtMs, cleared: true));
            }

            foreach (var alarm in update.Alarms)
            {
                Raise(alarm);
            }
        }
    }

    protected override AreaSnapshot Decorate(AreaSnapshot snapshot) => snapshot with
    {
        ActiveAlarms = _alarms.Active.ToArray(),
        RecentAlarms = _alarms.Recent.Take(50).ToArray(),
    };

    protected override void WriteMore(LineBuilder lines)
    {
        foreach (var alarm in _unwrittenAlarms)
        {
            InfluxSchema.AlarmEvent(lines, alarm.District, alarm.Community, alarm.Kind, alarm.Device, alarm.Type,
                alarm.Severity.ToString().ToLowerInvariant(), alarm.State.ToString().ToLowerInvariant(), alarm.AlarmId, alarm.Value, alarm.Peak,
                alarm.StartMs, alarm.EndMs);
        }

        _unwrittenAlarms.Clear();
    }

    protected override Task ReportUpward() => ReportIfChanged();

    private async Task CheckLiveness(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (device, entry) in _roster.Check(now))
        {
            Raise(OfflineAlarm(device, entry.Kind, entry, now, cleared: false));
        }

        await ReportIfChanged();
    }

    private async Task ReportIfChanged()
    {
        var summary = Summary();
        if (!summary.SameAs(_reported)
            && await reports.TrySendAsync(() => GrainFactory.GetGrain<IDistrictGrain>(_district).ReportSummary(_community, summary)))
        {
            _reported = summary;
        }
    }

    private void Raise(AlarmEvent alarm)
    {
        _alarms.Apply(alarm);
        _unwrittenAlarms.Add(alarm);
        Feed.AlarmChanged(alarm);
    }

    private AlarmEvent OfflineAlarm(string device, string kind, RosterEntry entry, long atMs, bool cleared)
    {
        // The offline alarm starts when the device fell silent (its last reading), not when the check noticed it.
        var start = cleared ? _alarms.Active.FirstOrDefault(a => a.Device == device && a.Type == AlarmTypes.Offline)?.StartMs ?? entry.OfflineSinceMs : entry.OfflineSinceMs;
        var silenceS = (atMs - start) / 1000.0;
        return new AlarmEvent(
            AlarmTypes.Id(device, AlarmTypes.Offline, start),
            AlarmTypes.Offline,
            AlarmSeverity.Warning,
            cleared ? AlarmState.Cleared : AlarmState.Raised,
            _district,
            _community,
            kind,
            device,
            start,
            cleared ? atMs : null,
            silenceS,
            silenceS,
            cleared ? "device reports again" : $"no reading for {silenceS:0} s");
    }
}
