namespace CitySense.Grains.State;

/// <summary>
/// A stored piece of an area's history (storage "history"): one local day's hours, or one local month's days with the
/// month's totals in <see cref="Totals"/>. Split by period so a push rewrites a day's and a month's records, never
/// years of buckets.
/// </summary>
[GenerateSerializer]
public sealed class HistoryRecord
{
    /// <summary>The newest push merged into this record: a push retried after a failure is not merged twice.</summary>
    [Id(0)] public long AppliedSequence { get; set; }

    [Id(1)] public List<HistoryBucket> Buckets { get; set; } = [];

    [Id(2)] public List<HistoryBucket> Totals { get; set; } = [];
}
