using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Grains.Domain;
using CitySense.Sinks.LineProtocol;
using CitySense.Sinks.Output;

namespace CitySense.Grains.Areas;

/// <summary>
/// What community, district and city grains share: fold in device updates, serve snapshots, and write the windows
/// that changed on a timer (and once more when deactivated, so a graceful shutdown loses nothing).
/// </summary>
public abstract class AreaGrain(IndicatorOptions options, ILineSink sink, ILiveFeed feed, TimeProvider time) : Grain
{
    /// <summary>Windows returned by the API per kind.</summary>
    private const int SnapshotWindows = 10;

    private readonly AreaAggregate _aggregate = new(options);
    private readonly SortedSet<string> _children = new(StringComparer.Ordinal);
    private KeyValuePair<string, string>[] _tags = [];
    private AreaSummary _writtenSummary = AreaSummary.Empty;

    protected abstract string Level { get; }

    protected abstract string Measurement { get; }

    protected TimeProvider Time => time;

    protected ILiveFeed Feed => feed;

    protected IReadOnlyList<KeyValuePair<string, string>> AreaTags => _tags;

    protected abstract KeyValuePair<string, string>[] Tags();

    /// <summary>Device and alarm counts of this area now.</summary>
    protected abstract AreaSummary Summary();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tags = Tags();
        this.RegisterGrainTimer(Flush, options.FlushInterval, options.FlushInterval);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Only the writes: other grains may be deactivating too, so nothing is reported upward now.
        WriteChanged();
        return Task.CompletedTask;
    }

    public Task Apply(Immutable<IndicatorBatch> batch)
    {
        // Indicators live in memory only (no grain storage yet): once an area has data it must not be collected when idle.
        // An area only looked up through the API stays collectable, so lookups of unknown ids cannot pile up.
        KeepWhileHoldingData();
        _aggregate.Apply(batch.Value);
        OnApplied(batch.Value);
        if (feed.Enabled)
        {
            var changed = batch.Value.Updates.Select(u => u.Kind).Concat(batch.Value.Rejections.Select(r => r.Kind)).Distinct(StringComparer.Ordinal);
            feed.AreaChanged(Level, this.GetPrimaryKeyString(), _aggregate.ToSnapshot(changed, windows: 1));
        }

        return Task.CompletedTask;
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

    public Task AdjustFlow(string kind, double delta)
    {
        _aggregate.AdjustFlow(kind, delta);
        return Task.CompletedTask;
    }

    protected void KeepWhileHoldingData() => this.DelayDeactivation(GrainLifetime.WithData);

    /// <summary>Per-level additions to the batch's effect (rosters, alarms).</summary>
    protected virtual void OnApplied(IndicatorBatch batch)
    {
    }

    protected virtual AreaSnapshot Decorate(AreaSnapshot snapshot) => snapshot;

    /// <summary>Writes what else this level has to write (alarm events).</summary>
    protected virtual void WriteMore(LineBuilder lines)
    {
    }

    /// <summary>Reports changed counts to the parent area (after the writes, on the timer only).</summary>
    protected virtual Task ReportUpward() => Task.CompletedTask;

    public Task<AreaSnapshot> GetSnapshotWithWindows(int windows) =>
        Task.FromResult(new AreaSnapshot(Level, this.GetPrimaryKeyString(), options.WindowMs, _aggregate.ToSnapshot(Math.Clamp(windows, 1, options.WindowsKept)), _children.ToArray()));

    protected void AddChild(string child) => _children.Add(child);

    private async Task Flush(CancellationToken cancellationToken)
    {
        WriteChanged();
        await ReportUpward();
    }

    private void WriteChanged()
    {
        using var lines = new LineBuilder();
        _aggregate.WriteChangedQuality(lines, Measurement + "_quality", _tags, Summary().Devices.Sum(d => d.Registered));
        _aggregate.WriteChangedWindows(lines, Measurement, _tags);
        WriteSummaryIfChanged(lines);
        WriteMore(lines);
        sink.Write(lines.Written, lines.Lines);
    }

    /// <summary>Device and alarm counts, one point per kind at the time they were found changed.</summary>
    private void WriteSummaryIfChanged(LineBuilder lines)
    {
        var summary = Summary();
        if (summary.SameAs(_writtenSummary))
        {
            return;
        }

        _writtenSummary = summary;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var devices in summary.Devices)
        {
            // "_roster", not "_devices": VictoriaMetrics would name its "reporting" field like the windows' devices_reporting.
            lines.Measurement(Measurement + "_roster").Tags(_tags)
                .Tag("kind", devices.Kind)
                .Field("registered", devices.Registered)
                .Field("reporting", devices.Reporting)
                .Field("online", devices.Online)
                .Field("offline", devices.Offline)
                .Field("alarms_active", summary.Alarms.Where(a => a.Kind == devices.Kind).Sum(a => a.Active))
                .End(now);
        }
    }
}
