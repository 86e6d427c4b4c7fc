namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// Event-time → ingest-time lags of a window in fixed buckets, so a window costs the same memory whatever its traffic.
/// A percentile is reported as the upper bound of the bucket holding the nearest-rank sample (docs/indicators.md).
/// </summary>
public sealed class LagHistogram
{
    /// <summary>Upper bounds (ms, inclusive) of the buckets; the last bucket is unbounded.</summary>
    public static readonly long[] UpperBoundsMs =
        [0, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000, long.MaxValue];

    private readonly long[] _counts = new long[UpperBoundsMs.Length];

    public long Count { get; private set; }

    /// <summary>Readings whose lag was within the timeliness threshold (counted exactly, not from buckets).</summary>
    public long Timely { get; private set; }

    public void Add(long lagMs, long timelyWithinMs)
    {
        // A device clock slightly ahead of the silo gives a negative lag: that reading was on time.
        lagMs = Math.Max(0, lagMs);
        var i = 0;
        while (lagMs > UpperBoundsMs[i])
        {
            i++;
        }

        _counts[i]++;
        Count++;
        if (lagMs <= timelyWithinMs)
        {
            Timely++;
        }
    }

    public void AddTo(LagHistogram total)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            total._counts[i] += _counts[i];
        }

        total.Count += Count;
        total.Timely += Timely;
    }

    public long[] CountsCopy() => (long[])_counts.Clone();

    /// <summary>Takes stored counts (a state written by this version: same buckets).</summary>
    public void Restore(long[] counts, long timely)
    {
        Array.Clear(_counts);
        counts.AsSpan(0, Math.Min(counts.Length, _counts.Length)).CopyTo(_counts);
        Count = _counts.Sum();
        Timely = timely;
    }

    /// <summary>Null when empty. <paramref name="q"/> in (0, 1]: nearest rank ⌈q·n⌉.</summary>
    public long? Percentile(double q)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(q * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return UpperBoundsMs[i];
            }
        }

        return UpperBoundsMs[^1];
    }
}
