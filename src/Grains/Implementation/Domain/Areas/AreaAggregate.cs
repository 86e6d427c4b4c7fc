using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Grains.Domain.History;
using CitySense.Grains.State;
using CitySense.Output.LineProtocol;
using CitySense.Output.Schema;

namespace CitySense.Grains.Domain.Areas;

/// <summary>All kinds of one area. Pure logic: the community, district and city grains wrap it.</summary>
public sealed class AreaAggregate(IndicatorOptions options, PendingHistory? history = null)
{
    /// <summary>What this area folded into its history since the last push (null: the area keeps no history).</summary>
    public PendingHistory? History => history;

    private readonly SortedDictionary<string, KindAggregate> _kinds = new(StringComparer.Ordinal);

    public IEnumerable<KindAggregate> Kinds => _kinds.Values;

    public void Apply(IndicatorBatch batch)
    {
        foreach (var update in batch.Updates)
        {
            if (update.Accepted)
            {
                Kind(update.Kind).Apply(update, update.Metrics);
            }
        }

        foreach (var rejection in batch.Rejections)
        {
            Kind(rejection.Kind).Reject(rejection.WindowStartMs, rejection.Count);
        }

        foreach (var part in batch.Parts)
        {
            Apply(part);
        }
    }

    public void AdjustFlow(string kind, double delta)
    {
        if (_kinds.TryGetValue(kind, out var aggregate))
        {
            aggregate.AdjustFlow(delta);
        }
    }

    /// <summary>See <see cref="KindAggregate.Reconcile"/>.</summary>
    public void Reconcile(string kind, decimal change, long windowStartMs)
    {
        if (change != 0)
        {
            Kind(kind).Reconcile(change, windowStartMs);
        }
    }

    /// <summary>The area's consumption since it started, for the levels above.</summary>
    public decimal ConsumptionOf(string kind) => _kinds.TryGetValue(kind, out var k) ? k.Consumption : 0;

    /// <summary>The area's sum of latest flows of a kind (0 when it has none), for the levels above.</summary>
    public double FlowSumOf(string kind) => _kinds.TryGetValue(kind, out var k) ? k.FlowSum ?? 0 : 0;

    public KindState[] ToState(long storeFromMs) => _kinds.Values.Select(k => k.ToState(storeFromMs)).ToArray();

    public void Restore(IEnumerable<KindState> kinds)
    {
        _kinds.Clear();
        foreach (var kind in kinds)
        {
            _kinds[kind.Kind] = KindAggregate.FromState(kind, options, history);
        }
    }

    public KindSnapshot[] ToSnapshot(int windows) => _kinds.Values.Select(k => k.ToSnapshot(windows)).ToArray();

    /// <summary>Quality of the newest <paramref name="windows"/> windows, newest first.</summary>
    public QualitySnapshot[] Quality(int windows, long registered) => _kinds.Values
        .SelectMany(k => k.Windows)
        .GroupBy(w => w.StartMs)
        .OrderByDescending(g => g.Key)
        .Take(windows)
        .Select(g => QualityCalculator.Compute(g.Key, g, registered))
        .ToArray();

    public KindSnapshot[] ToSnapshot(IEnumerable<string> kinds, int windows) =>
        kinds.Where(_kinds.ContainsKey).Select(k => _kinds[k].ToSnapshot(windows)).ToArray();

    /// <summary>
    /// Writes every window changed since the last call as one point per kind and window, timestamped at the window start,
    /// so a rewrite of the same window replaces the earlier point in InfluxDB.
    /// </summary>
    public void WriteChangedWindows(LineBuilder lines, string measurement, ReadOnlySpan<KeyValuePair<string, string>> tags)
    {
        foreach (var kind in _kinds.Values)
        {
            var windows = kind.Windows;
            for (var i = 0; i < windows.Count; i++)
            {
                var window = windows[i];
                if (!window.Dirty)
                {
                    continue;
                }

                InfluxSchema.Window(lines, measurement, tags, kind.Kind,
                    window.Accepted, window.Rejected, window.DevicesReporting, window.DevicesTotal, window.Duplicates, window.Late);
                if (kind.HasRegister)
                {
                    InfluxSchema.WindowConsumption(lines, window.Consumption, window.ConsumptionTotal);
                }

                if (window.FlowSum is { } flowSum)
                {
                    InfluxSchema.WindowFlowSum(lines, flowSum);
                }

                foreach (var (name, metric) in window.Metrics)
                {
                    InfluxSchema.WindowMetric(lines, name, metric.Count, metric.Min, metric.Max, metric.Mean, metric.Latest);
                }

                lines.End(window.StartMs);
                window.Dirty = false;
            }

            kind.Trim();
        }
    }

    /// <summary>One quality point per changed window; call before <see cref="WriteChangedWindows"/> marks them written.</summary>
    public void WriteChangedQuality(LineBuilder lines, string measurement, ReadOnlySpan<KeyValuePair<string, string>> tags, long registered)
    {
        foreach (var group in _kinds.Values.SelectMany(k => k.Windows).GroupBy(w => w.StartMs).Where(g => g.Any(w => w.Dirty)).OrderBy(g => g.Key))
        {
            var q = QualityCalculator.Compute(group.Key, group, registered);
            InfluxSchema.Quality(lines, measurement, tags, q.Completeness, q.Validity, q.Timeliness, q.Received, q.Rejected, q.Duplicates, q.Late, (long)q.Score);
            if (q.LagP50Ms is { } p50)
            {
                InfluxSchema.QualityLag(lines, p50, q.LagP95Ms!.Value);
            }

            lines.End(group.Key);
        }
    }

    private KindAggregate Kind(string kind)
    {
        if (!_kinds.TryGetValue(kind, out var aggregate))
        {
            aggregate = new KindAggregate(kind, options, history);
            _kinds.Add(kind, aggregate);
        }

        return aggregate;
    }
}
