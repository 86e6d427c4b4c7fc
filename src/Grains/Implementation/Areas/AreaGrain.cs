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
public abstract class AreaGrain(IndicatorOptions options, ILineSink sink, ILiveFeed feed) : Grain
{
    /// <summary>Windows returned by the API per kind.</summary>
    private const int SnapshotWindows = 10;

    private readonly AreaAggregate _aggregate = new(options);
    private readonly SortedSet<string> _children = new(StringComparer.Ordinal);
    private KeyValuePair<string, string>[] _tags = [];

    protected abstract string Level { get; }

    protected abstract string Measurement { get; }

    protected abstract KeyValuePair<string, string>[] Tags();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tags = Tags();
        this.RegisterGrainTimer(Flush, options.FlushInterval, options.FlushInterval);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        WriteChanged();
        return Task.CompletedTask;
    }

    public Task Apply(Immutable<IndicatorBatch> batch)
    {
        // Indicators live in memory only (no grain storage yet): once an area has data it must not be collected when idle.
        // An area only looked up through the API stays collectable, so lookups of unknown ids cannot pile up.
        this.DelayDeactivation(GrainLifetime.WithData);
        _aggregate.Apply(batch.Value);
        if (feed.Enabled)
        {
            var changed = batch.Value.Updates.Select(u => u.Kind).Concat(batch.Value.Rejections.Select(r => r.Kind)).Distinct(StringComparer.Ordinal);
            feed.AreaChanged(Level, this.GetPrimaryKeyString(), _aggregate.ToSnapshot(changed, windows: 1));
        }

        return Task.CompletedTask;
    }

    public Task<AreaSnapshot> GetSnapshot() =>
        Task.FromResult(new AreaSnapshot(Level, this.GetPrimaryKeyString(), options.WindowMs, _aggregate.ToSnapshot(SnapshotWindows), _children.ToArray()));

    public Task<AreaSnapshot> GetSnapshotWithWindows(int windows) =>
        Task.FromResult(new AreaSnapshot(Level, this.GetPrimaryKeyString(), options.WindowMs, _aggregate.ToSnapshot(Math.Clamp(windows, 1, options.WindowsKept)), _children.ToArray()));

    protected void AddChild(string child) => _children.Add(child);

    private Task Flush(CancellationToken cancellationToken)
    {
        WriteChanged();
        return Task.CompletedTask;
    }

    private void WriteChanged()
    {
        using var lines = new LineBuilder();
        _aggregate.WriteChangedWindows(lines, Measurement, _tags);
        sink.Write(lines.Written, lines.Lines);
    }
}
