using System.Diagnostics;
using System.Numerics;

namespace CitySense.LoadGenerator.Measurement;

/// <summary>
/// Log-linear histogram of Stopwatch ticks (32 buckets per power of two: about 3 % resolution), fixed size, so
/// recording a latency allocates nothing and costs a few instructions on the publishing path. One per publish loop;
/// merged at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBits = 6;
    private const int SubBuckets = 1 << SubBits;
    private readonly long[] _counts = new long[64 * SubBuckets];

    public long Count { get; private set; }

    public long MaxTicks { get; private set; }

    public void Record(long ticks)
    {
        ticks = Math.Max(0, ticks);
        _counts[Index(ticks)]++;
        Count++;
        MaxTicks = Math.Max(MaxTicks, ticks);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxTicks = Math.Max(MaxTicks, other.MaxTicks);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1) in microseconds: the upper edge of its bucket.</summary>
    public double PercentileMicroseconds(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(1, rank))
            {
                return Math.Min(UpperEdge(i), MaxTicks) * 1_000_000.0 / Stopwatch.Frequency;
            }
        }

        return MaxTicks * 1_000_000.0 / Stopwatch.Frequency;
    }

    private static int Index(long ticks)
    {
        if (ticks < SubBuckets)
        {
            return (int)ticks;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)ticks) - SubBits + 1;
        var mantissa = (int)(ticks >> exponent) - SubBuckets / 2;
        return exponent * (SubBuckets / 2) + SubBuckets / 2 + mantissa;
    }

    private static long UpperEdge(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var exponent = (index - SubBuckets / 2) / (SubBuckets / 2);
        var mantissa = (index - SubBuckets / 2) % (SubBuckets / 2) + SubBuckets / 2;
        return ((long)(mantissa + 1) << exponent) - 1;
    }
}
