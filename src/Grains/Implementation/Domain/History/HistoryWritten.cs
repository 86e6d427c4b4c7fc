using CitySense.Contracts.History;
using CitySense.Grains.State;

namespace CitySense.Grains.Domain.History;

/// <summary>What a push changed, as the records now hold it: to write to InfluxDB (a rewrite replaces the point).</summary>
public sealed class HistoryWritten
{
    public List<(HistoryStep Step, HistoryBucket Bucket)> Buckets { get; } = [];

    public List<(string Device, long DayStartMs, decimal Measured, decimal Estimated)> Meters { get; } = [];
}
