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
[CitySense.Grains.Placement.AreaOwnerPlacement]
public sealed class CommunityGrain(
    [PersistentState("area", "state")] IPersistentState<AreaState> store,
    [PersistentState("alarms", "alarms")] IPersistentState<AlarmLogState> alarmStore,
    [PersistentState("alarmjournal", "alarms")] IPersistentState<AlarmJournalState> alarmJournalStore,
    IOptions<AlarmOptions> alarmOptions,
    IOptions<IndicatorOptions> options,
    IOptions<StateOptions> state,
    IOptions<LivenessOptions> liveness,
    IOptions<VeeOptions> vee,
    ILineSink sink,
    ILiveFeed feed,
    TimeProvider time,
    CitySense.Grains.History.HistoryContext history,
    AreaReports reports,
    CommunityBudgets budgets,
    CitySense.Contracts.Subscriptions.ISubscriptionChanges subscriptions) : AreaGrain(options.Value.ForCommunities(), state.Value, store, sink, feed, time, history, subscriptions), ICommunityGrain
{
    /// <summary>
    /// Alarm events kept, stored and shown by the API (a community's snapshot): 200 kept in memory were a million events
    /// at 5 000 communities under a load that keeps raising alarms (benchmarks/RESULTS.md §60). Every event is also in the
    /// time series database.
    /// </summary>
    private const int RecentAlarmsKept = 20;

    private readonly DeviceRoster _roster = new(liveness.Value);
    private readonly AreaAlarms _alarms = new(RecentAlarmsKept);
    private readonly SuspectBook _suspects = new(vee.Value.HeldKept, vee.Value.DecidedKept);
    private readonly List<AlarmEvent> _unwrittenAlarms = [];
    private readonly AlarmWorkflow _workflow = new(alarmOptions.Value, time);
    // Alarms changed since the workflow's full copy was stored, and that copy's generation (both stored, see AlarmJournal).
    private readonly AlarmJournal _journal = new();
    private long _alarmGeneration;
    // Workflow changes not yet stored and announced: stored first, so no subscriber sees an alarm a failure could undo.
    private readonly List<AlarmRecord> _unannounced = [];
    private IGrainTimer? _escalationTimer;
    // While rules change alarms faster than Alarms:StoreInterval: when the last store was (0: never, so the first change
    // is stored at once), and the one-shot timer that stores what waits.
    private long _alarmsStoredAtMs;
    private IGrainTimer? _alarmStoreTimer;
    private bool _indexed;
    // The counts as last reported, kept as values (KeptSummary says why).
    private readonly KeptSummary _reported = new();
    private string _district = string.Empty;
    private string _community = string.Empty;

    protected override string Level => "community";

    protected override string Measurement => InfluxSchema.Community;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        this.RegisterGrainTimer(CheckLiveness, liveness.Value.CheckInterval, liveness.Value.CheckInterval);
        if (alarmStore.RecordExists || alarmJournalStore.RecordExists)
        {
            RestoreAlarms();
            _indexed = true;
            // This silo's live subscribers have not seen these alarms (the silo that announced them may be gone): announced
            // again as they stand, so its alarm list and every new subscriber's snapshot hold them. A subscriber that had
            // them sees the same version again.
            foreach (var record in _workflow.Open)
            {
                Feed.AlarmChanged(record);
            }

            KeepWhileHoldingData();
            ScheduleEscalation();
        }
    }

    /// <summary>The full copy, with the journal of the same generation replayed over it.</summary>
    private void RestoreAlarms()
    {
        var full = alarmStore.RecordExists ? alarmStore.State : new AlarmLogState();
        _alarmGeneration = full.Generation;
        var journal = alarmJournalStore.RecordExists && alarmJournalStore.State.Generation == full.Generation ? alarmJournalStore.State : null;
        var (open, closed) = AlarmJournal.Replay(full.Open, full.Closed, journal?.Changes ?? [], alarmOptions.Value.HistoryKept);
        _workflow.Restore(open, closed, Math.Max(full.Escalations, journal?.Escalations ?? 0));
        // The journal is rewritten whole with the next change, so what it holds stays in it until the next fold.
        _journal.Resume(journal?.Changes ?? []);
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

    public Task<AlarmRecord[]> GetOpenAlarms() => Task.FromResult(_workflow.Open.ToArray());

    public Task<AlarmRecord?> GetAlarm(string alarmId) => Task.FromResult(_workflow.Find(alarmId));

    public Task<AlarmRecord[]> GetAlarmHistory(long fromMs, long toMs, int limit) => Task.FromResult(_workflow.History(fromMs, toMs, limit));

    public Task<long> GetEscalations() => Task.FromResult(_workflow.Escalations);

    public async Task<AlarmDecision> OperateAlarm(string alarmId, AlarmCommand command)
    {
        var decision = _workflow.Operate(alarmId, command);
        if (decision is { Outcome: AlarmOutcome.Done, Record: { } record })
        {
            if (record.Status.Closed)
            {
                // Off the list by hand: the area's alarm counts follow.
                _alarms.Apply(record.Alarm with { State = AlarmState.Cleared });
            }

            _unannounced.Add(record);
            await StoreAndAnnounceAlarmsAsync();
        }

        return decision;
    }

    protected override Task AfterAppliedAsync()
    {
        if (_unannounced.Count == 0 || _alarmStoreTimer is not null)
        {
            // Nothing changed, or a store is already due: these changes go with it.
            return Task.CompletedTask;
        }

        var waitMs = (long)alarmOptions.Value.StoreInterval.TotalMilliseconds - (Time.GetUtcNow().ToUnixTimeMilliseconds() - _alarmsStoredAtMs);
        if (waitMs <= 0)
        {
            return StoreAndAnnounceAlarmsAsync();
        }

        // Stored moments ago: a flood (chattering sensors) would store the whole workflow with every batch. What waits is
        // neither stored nor announced yet, so no subscriber sees a change a failure could undo.
        _alarmStoreTimer = this.RegisterGrainTimer(StoreWaitingAlarmsAsync, TimeSpan.FromMilliseconds(waitMs), Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    private Task StoreWaitingAlarmsAsync(CancellationToken cancellationToken) =>
        _unannounced.Count == 0 ? Task.CompletedTask : StoreAndAnnounceAlarmsAsync();

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unannounced.Count > 0)
        {
            await StoreAndAnnounceAlarmsAsync();
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>Stores the workflow, then announces its changes (in order) and sets the escalation timer for the next one due.</summary>
    private async Task StoreAndAnnounceAlarmsAsync()
    {
        KeepWhileHoldingData();
        if (!_indexed)
        {
            // Before the first write: an alarm stored is always found by the history of its district and the city.
            await GrainFactory.GetGrain<IAlarmIndexGrain>(IAlarmIndexGrain.DistrictKey(_district)).Add(_community);
            _indexed = true;
        }

        _alarmStoreTimer?.Dispose();
        _alarmStoreTimer = null;
        _alarmsStoredAtMs = Time.GetUtcNow().ToUnixTimeMilliseconds();
        await StoreAlarmChangesAsync();
        foreach (var record in _unannounced)
        {
            Feed.AlarmChanged(record);
            if (Subscriptions.WantsAlarms)
            {
                // Only here, not when an activation announces its open alarms again to live subscribers: that is no change.
                Subscriptions.AlarmChanged(record);
            }
        }

        _unannounced.Clear();
        ScheduleEscalation();
    }

    /// <summary>
    /// The changes go to the journal; once it has grown, the full copy is written instead, with the next generation, and
    /// the journal on record (an older generation now) no longer counts.
    /// </summary>
    private async Task StoreAlarmChangesAsync()
    {
        _journal.Add(_unannounced);
        if (_journal.ShouldFold(_workflow.Count))
        {
            alarmStore.State = new AlarmLogState
            {
                Open = _workflow.Open.ToArray(),
                Closed = _workflow.Closed.ToArray(),
                Escalations = _workflow.Escalations,
                Generation = _alarmGeneration + 1,
            };
            await alarmStore.WriteStateAsync();
            _alarmGeneration++;
            _journal.Clear();
            return;
        }

        alarmJournalStore.State = new AlarmJournalState { Generation = _alarmGeneration, Changes = _journal.Changes.ToArray(), Escalations = _workflow.Escalations };
        await alarmJournalStore.WriteStateAsync();
    }

    private void ScheduleEscalation()
    {
        if (_workflow.NextEscalationMs is not { } dueMs)
        {
            _escalationTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var due = TimeSpan.FromMilliseconds(Math.Max(0, dueMs - Time.GetUtcNow().ToUnixTimeMilliseconds()));
        if (_escalationTimer is null)
        {
            _escalationTimer = this.RegisterGrainTimer(EscalateDue, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _escalationTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task EscalateDue(CancellationToken cancellationToken)
    {
        _unannounced.AddRange(_workflow.Escalate());
        if (_unannounced.Count > 0)
        {
            await StoreAndAnnounceAlarmsAsync();
        }
        else
        {
            // Early (a timer may fire a little before its due time) or the alarm was acknowledged meanwhile.
            ScheduleEscalation();
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

    public Task<CommunityDevice[]> GetDevices() => Task.FromResult(_roster.Devices
        .OrderBy(d => d.Key, StringComparer.Ordinal)
        .Select(d => new CommunityDevice(d.Key, d.Value.Kind, d.Value.Online))
        .ToArray());

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
        state.RecentAlarms = _alarms.Recent.ToArray();
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
        if (Subscriptions.Enabled)
        {
            // NGSI-LD subscriptions match and render off this turn (docs/sharing.md); this only queues the batch.
            Subscriptions.DevicesChanged(_district, _community, batch.Updates);
        }

        foreach (var update in batch.Updates)
        {
            if (!update.Accepted || (update.Flags & DeviceUpdateFlags.Duplicate) != 0 || update.IsRelease)
            {
                continue;
            }

            if (update.Suspect is { State: CitySense.Contracts.Vee.SuspectState.Held } suspect)
            {
                budgets.SuspectsRejected(_suspects.Hold(suspect, update.ReceivedAtMs));
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
        RecentAlarms = _alarms.Recent.ToArray(),
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

        try
        {
            if (_unannounced.Count > 0)
            {
                await StoreAndAnnounceAlarmsAsync();
            }
        }
        finally
        {
            // The counts go up even when storing the alarms failed (it is retried at the next check): a district must
            // not go on showing a device online because its community's alarm store was slow or refused a write.
            await ReportIfChanged();
        }
    }

    private async Task ReportIfChanged()
    {
        var summary = Summary();
        if (!_reported.SameAs(summary)
            && await reports.TrySendAsync(() => GrainFactory.GetGrain<IDistrictGrain>(_district).ReportSummary(_community, summary)))
        {
            _reported.Keep(summary);
        }
    }

    private void Raise(AlarmEvent alarm)
    {
        _alarms.Apply(alarm);
        _unwrittenAlarms.Add(alarm);
        var changed = _workflow.Apply(alarm);
        _unannounced.AddRange(changed);
        // The budget's closes are among the changes, each with its own audit entry: counted from them.
        var closedBySystem = 0;
        foreach (var record in changed)
        {
            closedBySystem += record.Last.Action == AlarmAction.ClosedBySystem ? 1 : 0;
        }

        budgets.AlarmsClosed(closedBySystem);
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
