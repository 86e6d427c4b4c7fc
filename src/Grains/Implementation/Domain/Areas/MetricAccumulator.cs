using CitySense.Contracts.Snapshots;
using CitySense.Grains.State;

namespace CitySense.Grains.Domain.Areas;

/// <summary>Count, min, max, sum and the value with the newest event time, folded one reading at a time.</summary>
public sealed class MetricAccumulator
{
    public long Count { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public double Sum { get; private set; }
    public double Latest { get; private set; }
    public long LatestTimestampMs { get; private set; } = long.MinValue;

    public double Mean => Count == 0 ? 0 : Sum / Count;

    public void Add(double value, long timestampMs)
    {
        Count++;
        Sum += value;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
        // Ties go to the later arrival, like a device's own latest reading.
        if (timestampMs >= LatestTimestampMs)
        {
            Latest = value;
            LatestTimestampMs = timestampMs;
        }
    }

    public MetricStats ToStats(string name) => new(name, Count, Min, Max, Mean, Latest, LatestTimestampMs);

    public MetricState ToState(string name) => new(name, Count, Min, Max, Sum, Latest, LatestTimestampMs);

    public static MetricAccumulator FromState(MetricState s) => new()
    {
        Count = s.Count,
        Min = s.Min,
        Max = s.Max,
        Sum = s.Sum,
        Latest = s.Latest,
        LatestTimestampMs = s.LatestTimestampMs,
    };
}
