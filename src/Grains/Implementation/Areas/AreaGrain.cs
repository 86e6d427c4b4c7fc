using CitySense.Contracts.History;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Grains.Domain.Areas;
using CitySense.Grains.Domain.History;
using CitySense.Grains.History;
using CitySense.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using CitySense.Grains.State;
using CitySense.Output.LineProtocol;
using CitySense.Output.Schema;
using CitySense.Output.Writing;

namespace CitySense.Grains.Areas;

/// <summary>
/// What community, district and city grains share: fold in device updates, reconcile them with the consumption ledger,
/// store the state (after every batch, or on deactivation), serve snapshots, and write the windows that changed on a
/// timer (and once more when deactivated, so a graceful shutdown loses nothing); and keep the area's history: what it
/// folds goes to pending hours, pushed to history storage every History:PushInterval and when an hour ends
/// (docs/history.md).
/// </summary>
public abstract class AreaGrain(IndicatorOptions options, StateOptions stateOptions, IPersistentState<AreaState> store, ILineSink sink, ILiveFeed feed, TimeProvider time,
    HistoryContext history, CitySense.Contracts.Subscriptions.ISubscriptionChanges subscriptions) : Grain
{
    /// <summary>Windows returned by the API per kind.</summary>
    private const int SnapshotWindows = 10;

    private readonly AreaAggregate _aggregate = new(options, new PendingHistory(history.NewCalendar(), history.Night));
    private HistoryArchive? _archive;
    private long _historyPushedMs;
    private readonly SortedSet<string> _children = new(StringComparer.Ordinal);
    // Districts and the city: each child's device and alarm counts as it last reported them.
    private readonly Dictionary<string, KeptSummary> _childSummaries = new(StringComparer.Ordinal);
    private KeyValuePair<string, string>[] _tags = [];
    private readonly KeptSummary _writtenSummary = new();

    protected ConsumptionLedger Ledger { get; } = new();

    protected AreaAggregate Aggregate => _aggregate;

    protected IndicatorOptions Options => options;

    /// <summary>Batches applied most recently, by id, with what they returned: a retried call is answered, not applied again.</summary>
    private const int AppliedKept = 32;

    private readonly AppliedBatches _applied = new(AppliedKept);
    private OwnershipCheck _ownership;
    private IngestOwners? _owners;
    private string? _ownerKey;

    // Live: kinds changed since this area's last announcement, and when that was (feed.AreaInterval apart at least).
    private readonly HashSet<string> _liveChanged = new(StringComparer.Ordinal);
    private long _liveAnnouncedMs = long.MinValue;
    private IGrainTimer? _liveTimer;
    private bool _liveDue;

    /// <summary>Changes so far (batches and flow adjustments): orders this area's reports to the levels above.</summary>
    protected long Version { get; private set; }

    /// <summary>Placed on the silo that owns its district (<see cref="AreaOwnerPlacement"/>): communities and districts, not the city.</summary>
    protected virtual bool PlacedByOwner => true;

    protected abstract string Level { get; }

    protected abstract string Measurement { get; }

    protected TimeProvider Time => time;

    protected ILiveFeed Feed => feed;

    /// <summary>This silo's NGSI-LD subscription matcher (a no-op where no API runs).</summary>
    protected CitySense.Contracts.Subscriptions.ISubscriptionChanges Subscriptions => subscriptions;

    protected IReadOnlyList<KeyValuePair<string, string>> AreaTags => _tags;

    protected abstract KeyValuePair<string, string>[] Tags();

    /// <summary>Device and alarm counts of this area now.</summary>
    protected abstract AreaSummary Summary();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tags = Tags();
        if (store.RecordExists)
        {
            // The silo that held this area stopped or died: carry on from the last stored batch. Windows not yet
            // written come back dirty and are written at the next flush.
            var state = store.State;
            _aggregate.Restore(state.Kinds);
            Ledger.Restore(state.Ledger);
            Version = state.Version;
            _applied.Restore(state.Applied);

            foreach (var child in state.Children)
            {
                _children.Add(child);
            }

            foreach (var (child, summary) in state.ChildSummaries)
            {
                KeepChildSummary(child, summary);
            }

            Restore(state);
            Pending.Restore(state.History);
            KeepWhileHoldingData();
        }

        this.RegisterGrainTimer(Flush, options.FlushInterval, options.FlushInterval);
        _historyPushedMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        // A restored area pushes what it had pending before it folds anything new: a push that reached storage before the
        // failure is recognised by its sequence number only while the pending hours are exactly those it pushed.
        return Pending.IsEmpty ? Task.CompletedTask : PushHistoryAsync(time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private PendingHistory Pending => _aggregate.History!;

    private HistoryArchive Archive => _archive ??= new HistoryArchive(Level + "/" + this.GetPrimaryKeyString(), history.NewRecords(), Pending.Calendar, history.Options);

    public Task<HistoryPoint[]> GetHistory(HistoryQuery query)
    {
        AddExpected(time.GetUtcNow().ToUnixTimeMilliseconds());
        return Archive.QueryAsync(query, Pending);
    }

    /// <summary>A community's meter (its days or months) in the query's range.</summary>
    protected Task<MeterDay[]> GetMeterHistoryCore(string device, HistoryQuery query) => Archive.QueryMeterAsync(device, query, Pending);

    /// <summary>
    /// Moves the pending history into storage and writes what changed to InfluxDB. After an hour ends its expected
    /// readings are added first (from the devices' intervals as this area counts them now).
    /// </summary>
    private async Task PushHistoryAsync(long nowMs)
    {
        AddExpected(nowMs);
        _historyPushedMs = nowMs;
        if (Pending.IsEmpty)
        {
            return;
        }

        var written = await Archive.PushAsync(Pending, nowMs);
        using (var lines = new LineBuilder())
        {
            foreach (var (step, bucket) in written.Buckets)
            {
                var f = bucket.Figures;
                InfluxSchema.HistoryBucket(lines, Measurement, StepSuffix(step), _tags, bucket.Kind, f.Measured, f.Estimated, f.Accepted, f.Expected, f.Rejected,
                    f.FlowSamples > 0 ? f.FlowTotal / f.FlowSamples : null, f.FlowMax, f.NightFlowMin, HistoryQuality.Score(f), bucket.StartMs);
            }

            WriteMeterDays(lines, written);
            sink.Write(lines.Written, lines.Lines);
        }

        await StoreIfDurableAsync();
    }

    /// <summary>A community writes its meters' days.</summary>
    protected virtual void WriteMeterDays(LineBuilder lines, HistoryWritten written)
    {
    }

    private static string StepSuffix(HistoryStep step) => step switch
    {
        HistoryStep.Hour => InfluxSchema.HourlySuffix,
        HistoryStep.Day => InfluxSchema.DailySuffix,
        _ => InfluxSchema.MonthlySuffix,
    };

    private void AddExpected(long nowMs) => Pending.ExpectThrough(nowMs, Summary().Devices, history.Options.HoursKept);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Only the writes: other grains may be deactivating too, so nothing is reported upward now.
        WriteChanged();
        if (_liveChanged.Count > 0)
        {
            AnnounceNow();
        }

        if (!Pending.IsEmpty)
        {
            // History storage is reachable at shutdown (files on a single node, Redis in a cluster): push what is pending.
            await PushHistoryAsync(time.GetUtcNow().ToUnixTimeMilliseconds());
        }

        if ((_children.Count > 0 || _aggregate.Kinds.Any())
            && (reason.ReasonCode != DeactivationReasonCode.ShuttingDown || stateOptions.StoreOnShutdown))
        {
            await StoreAsync();
        }
    }

    public async Task<SourceTotal[]> Apply(Immutable<IndicatorBatch> batch)
    {
        // Once an area has data it is not collected when idle (its windows are written on a timer). An area only looked
        // up through the API stays collectable, so lookups of unknown ids cannot pile up.
        KeepWhileHoldingData();
        if (PlacedByOwner && _ownership.ShouldMove(_owners ??= ServiceProvider.GetService<IngestOwners>(), _ownerKey ??= OwnerKeys.Area(this.GetPrimaryKeyString())))
        {
            this.MigrateOnIdle();
        }

        if (batch.Value.BatchId is { } id && _applied.TryGet(id, out var done))
        {
            // A retry of a call that did apply (its answer was lost: a timeout, or this area's silo died after storing
            // it). Applying it again would count its readings twice.
            return done;
        }

        Version++;
        _aggregate.Apply(batch.Value);
        var totals = Reconcile(batch.Value);
        if (batch.Value.BatchId is { } applied)
        {
            _applied.Add(applied, totals);
        }

        OnApplied(batch.Value);
        await AfterAppliedAsync();
        if (feed.Enabled || subscriptions.WantsAreas)
        {
            batch.Value.AddKindsTo(_liveChanged);
            Announce();
        }

        if (stateOptions.WriteEveryBatch)
        {
            // Stored before the batch is acknowledged: a silo killed after this point loses nothing of it.
            await StoreAsync();
        }

        return totals;
    }

    /// <summary>
    /// District and city: each community's total tells what it counted, whatever reached this level (a batch lost with
    /// a silo between the levels, or redelivered). Returns nothing: no level above reconciles with these.
    /// </summary>
    protected virtual SourceTotal[] Reconcile(IndicatorBatch batch)
    {
        Reconciliation.BySource(batch, _aggregate, Ledger);
        return [];
    }

    protected async Task StoreAsync()
    {
        var state = new AreaState
        {
            Kinds = _aggregate.ToState(StoreWindowsFrom()),
            Ledger = new Dictionary<string, LedgerEntry>(Ledger.Entries, StringComparer.Ordinal),
            Children = _children.ToArray(),
            ChildSummaries = _childSummaries.ToDictionary(c => c.Key, c => c.Value.ToSummary(), StringComparer.Ordinal),
            Version = Version,
            Applied = _applied.ToState(),
            History = Pending.ToState(),
        };
        Capture(state);
        store.State = state;
        await store.WriteStateAsync();
    }

    /// <summary>Windows older than this (event time) are final once written: they are not stored.</summary>
    private long StoreWindowsFrom()
    {
        var newest = _aggregate.Kinds.SelectMany(k => k.Windows).Select(w => w.StartMs).DefaultIfEmpty(long.MinValue).Max();
        return newest == long.MinValue ? long.MinValue
            : newest - (long)options.AllowedLateness.TotalMilliseconds - stateOptions.ExtraWindowsStored * options.WindowMs;
    }

    /// <summary>Per-level state to store (roster, alarms, children's counts).</summary>
    protected virtual void Capture(AreaState state)
    {
    }

    /// <summary>Per-level state to restore.</summary>
    protected virtual void Restore(AreaState state)
    {
    }

    public Task<AreaSnapshot> GetSnapshot() =>
        Task.FromResult(GetSnapshotNow());

    private AreaSnapshot GetSnapshotNow()
    {
        var summary = Summary();
        return Decorate(new AreaSnapshot(Level, this.GetPrimaryKeyString(), options.WindowMs, _aggregate.ToSnapshot(SnapshotWindows), _children.ToArray())
        {
            Summary = summary,
            Quality = _aggregate.Quality(SnapshotWindows, summary.Devices.Sum(d => d.Registered)),
        });
    }

    public virtual Task AdjustFlow(string kind, double delta)
    {
        Version++;
        _aggregate.AdjustFlow(kind, delta);
        return StoreIfDurableAsync();
    }

    /// <summary>An operator's change (registry) stored at once where batches are (a cluster), so a failure cannot undo it.</summary>
    protected Task StoreIfDurableAsync() => stateOptions.WriteEveryBatch ? StoreAsync() : Task.CompletedTask;

    protected void KeepWhileHoldingData() => this.DelayDeactivation(GrainLifetime.WithData);

    /// <summary>Per-level additions to the batch's effect (rosters, alarms).</summary>
    protected virtual void OnApplied(IndicatorBatch batch)
    {
    }

    /// <summary>What a level must store before the batch is acknowledged, apart from its state (a community's alarm workflow).</summary>
    protected virtual Task AfterAppliedAsync() => Task.CompletedTask;

    protected virtual AreaSnapshot Decorate(AreaSnapshot snapshot) => snapshot;

    /// <summary>Writes what else this level has to write (alarm events).</summary>
    protected virtual void WriteMore(LineBuilder lines)
    {
    }

    /// <summary>Reports changed counts to the parent area (after the writes, on the timer only).</summary>
    protected virtual Task ReportUpward() => Task.CompletedTask;

    public Task<AreaSnapshot> GetSnapshotWithWindows(int windows) =>
        Task.FromResult(new AreaSnapshot(Level, this.GetPrimaryKeyString(), options.WindowMs, _aggregate.ToSnapshot(Math.Clamp(windows, 1, options.WindowsKept)), _children.ToArray()));

    /// <summary>A district learns a community, the city a district (before or without its counts).</summary>
    protected void RegisterChild(string child)
    {
        KeepWhileHoldingData();
        _children.Add(child);
    }

    /// <summary>A child's device and alarm counts changed.</summary>
    protected void RecordChildSummary(string child, AreaSummary summary)
    {
        RegisterChild(child);
        KeepChildSummary(child, summary);
    }

    private void KeepChildSummary(string child, AreaSummary summary)
    {
        if (!_childSummaries.TryGetValue(child, out var kept))
        {
            _childSummaries[child] = kept = new KeptSummary();
        }

        kept.Keep(summary);
    }

    /// <summary>The children's counts summed: a district's or the city's device and alarm counts.</summary>
    protected AreaSummary ChildrenSummary() => KeptSummary.Sum(_childSummaries.Values);

    /// <summary>
    /// Announces the changed kinds (<see cref="_liveChanged"/>) now, or, within feed.AreaInterval of the last announcement, once when it ends: at
    /// most one update per area per interval, and the last change is never left unannounced.
    /// </summary>
    private void Announce()
    {
        var interval = (long)feed.AreaInterval.TotalMilliseconds;
        var sinceLast = time.GetUtcNow().ToUnixTimeMilliseconds() - _liveAnnouncedMs;
        if (interval <= 0 || _liveAnnouncedMs == long.MinValue || sinceLast >= interval)
        {
            AnnounceNow();
            return;
        }

        if (!_liveDue)
        {
            _liveDue = true;
            var due = TimeSpan.FromMilliseconds(interval - sinceLast);
            if (_liveTimer is null)
            {
                _liveTimer = this.RegisterGrainTimer(AnnounceDue, due, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _liveTimer.Change(due, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private Task AnnounceDue(CancellationToken cancellationToken)
    {
        _liveDue = false;
        if (_liveChanged.Count > 0)
        {
            AnnounceNow();
        }

        return Task.CompletedTask;
    }

    private void AnnounceNow()
    {
        if (feed.Enabled)
        {
            feed.AreaChanged(Level, this.GetPrimaryKeyString(), _aggregate.ToSnapshot(_liveChanged, windows: 1));
        }

        if (subscriptions.WantsAreas)
        {
            // NGSI-LD subscriptions to Community/District/City take the area's entity at the live feed's pace (at most one
            // change per Live:AreaInterval, the last never left out), not one per batch: a city's 100 communities at
            // 10 000 readings/s would otherwise be thousands of area changes a second, each a full snapshot.
            subscriptions.AreaChanged(GetSnapshotNow());
        }

        _liveChanged.Clear();
        _liveAnnouncedMs = time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    private async Task Flush(CancellationToken cancellationToken)
    {
        WriteChanged();
        await ReportUpward();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - _historyPushedMs >= (long)history.Options.PushInterval.TotalMilliseconds
            || Pending.Calendar.HourStart(now) != Pending.Calendar.HourStart(Math.Max(_historyPushedMs, 0)))
        {
            await PushHistoryAsync(now);
        }
    }

    private void WriteChanged()
    {
        using var lines = new LineBuilder();
        _aggregate.WriteChangedQuality(lines, Measurement, _tags, Summary().Devices.Sum(d => d.Registered));
        _aggregate.WriteChangedWindows(lines, Measurement, _tags);
        WriteSummaryIfChanged(lines);
        WriteMore(lines);
        sink.Write(lines.Written, lines.Lines);
    }

    /// <summary>Device and alarm counts, one point per kind at the time they were found changed.</summary>
    private void WriteSummaryIfChanged(LineBuilder lines)
    {
        var summary = Summary();
        if (_writtenSummary.SameAs(summary))
        {
            return;
        }

        _writtenSummary.Keep(summary);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var devices in summary.Devices)
        {
            InfluxSchema.Roster(lines, Measurement, _tags, devices.Kind, devices.Registered, devices.Reporting, devices.Online, devices.Offline,
                summary.Alarms.Where(a => a.Kind == devices.Kind).Sum(a => a.Active), now);
        }
    }
}
