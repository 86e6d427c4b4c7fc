using System.Runtime.CompilerServices;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// Event-time → ingest-time lags of a window in fixed buckets, so a window costs the same memory whatever its traffic.
/// A percentile is reported as the upper bound of the bucket holding the nearest-rank sample (docs/indicators.md).
/// </summary>
/// <remarks>
/// A struct with its buckets inline, held in its window (<see cref="WindowAggregate.Lags"/> returns it by reference):
/// 84 bytes in the window instead of an object and a long[17] (200 bytes and a reference), for every window an area
/// keeps. A bucket is an int: one window of one area overflows it at 35 million readings a second.
/// </remarks>
public struct LagHistogram
{
    /// <summary>Upper bounds (ms, inclusive) of the buckets; the last bucket is unbounded.</summary>
    public static readonly long[] UpperBoundsMs =
        [0, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000, long.MaxValue];

    private Buckets _counts;

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

    public readonly void AddTo(ref LagHistogram total)
    {
        for (var i = 0; i < Buckets.Length; i++)
        {
            total._counts[i] += _counts[i];
        }

        total.Count += Count;
        total.Timely += Timely;
    }

    public readonly long[] CountsCopy()
    {
        var copy = new long[Buckets.Length];
        for (var i = 0; i < Buckets.Length; i++)
        {
            copy[i] = _counts[i];
        }

        return copy;
    }

    /// <summary>Takes stored counts (a state written by this version: same buckets).</summary>
    public void Restore(long[] counts, long timely)
    {
        long count = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            // Saturated, never thrown: a restore that threw would keep the area from activating.
            _counts[i] = i < counts.Length ? (int)Math.Clamp(counts[i], 0, int.MaxValue) : 0;
            count += _counts[i];
        }

        Count = count;
        Timely = timely;
    }

    /// <summary>Null when empty. <paramref name="q"/> in (0, 1]: nearest rank ⌈q·n⌉.</summary>
    public readonly long? Percentile(double q)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(q * Count);
        long seen = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return UpperBoundsMs[i];
            }
        }

        return UpperBoundsMs[^1];
    }

    /// <summary>One count per bound of <see cref="UpperBoundsMs"/>, inline.</summary>
    [InlineArray(Length)]
    private struct Buckets
    {
        public const int Length = 17;

        private int _first;
    }
}
