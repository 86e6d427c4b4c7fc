using CitySense.Contracts.History;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;

namespace CitySense.Contracts.Areas;

/// <summary>What community, district and city aggregates have in common: they fold in device updates.</summary>
public interface IAreaGrain
{
    /// <summary>
    /// Folds in one ingest batch and stores the area's state before returning (when State:WriteEveryBatch), so the batch
    /// can be acknowledged. Returns the area's consumption total per kind afterwards, for the levels above.
    /// </summary>
    Task<SourceTotal[]> Apply(Immutable<IndicatorBatch> batch);

    Task<AreaSnapshot> GetSnapshot();

    /// <summary>A device moved away or was decommissioned: its latest flow leaves the area's sum of latest flows (m³/h).</summary>
    Task AdjustFlow(string kind, double delta);
    /// <summary>The snapshot with up to <paramref name="windows"/> windows per kind (at most Indicators:WindowsKept).</summary>
    Task<AreaSnapshot> GetSnapshotWithWindows(int windows);

    /// <summary>The area's history buckets in the query's range, stored and not yet pushed together (docs/history.md).</summary>
    Task<HistoryPoint[]> GetHistory(HistoryQuery query);
}
