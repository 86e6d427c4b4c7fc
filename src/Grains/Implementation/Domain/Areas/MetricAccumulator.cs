using CitySense.Contracts.Snapshots;
using CitySense.Grains.State;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// Count, min, max, sum and the value with the newest event time, folded one reading at a time. A struct, held inline in
/// a window's array (<see cref="WindowMetrics"/>): a window of a million-device city keeps about three of them, and as
/// objects they cost a header and a reference each, for an hour of windows per area and kind. The default value is
/// the empty accumulator, so an array slot needs no constructor: the first value sets min, max and latest.
/// </summary>
public struct MetricAccumulator
{
    public long Count { get; private set; }
    public double Min { get; private set; }
    public double Max { get; private set; }
    public double Sum { get; private set; }
    public double Latest { get; private set; }
    public long LatestTimestampMs { get; private set; }

    public readonly double Mean => Count == 0 ? 0 : Sum / Count;

    public void Add(double value, long timestampMs)
    {
        var first = Count == 0;
        Count++;
        Sum += value;
        if (first || value < Min) Min = value;
        if (first || value > Max) Max = value;
        // Ties go to the later arrival, like a device's own latest reading.
        if (first || timestampMs >= LatestTimestampMs)
        {
            Latest = value;
            LatestTimestampMs = timestampMs;
        }
    }

    public readonly MetricStats ToStats(string name) => new(name, Count, Min, Max, Mean, Latest, LatestTimestampMs);

    public readonly MetricState ToState(string name) => new(name, Count, Min, Max, Sum, Latest, LatestTimestampMs);

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
