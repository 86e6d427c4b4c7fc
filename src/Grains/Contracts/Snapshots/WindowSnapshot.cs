namespace CitySense.Contracts.Snapshots;

/// <summary>One tumbling event-time window [StartMs, EndMs) of one kind in one area.</summary>
[GenerateSerializer, Immutable]
public sealed record WindowSnapshot(
    [property: Id(0)] long StartMs,
    [property: Id(1)] long EndMs,
    [property: Id(2)] decimal Consumption,
    [property: Id(3)] long Accepted,
    [property: Id(4)] long Rejected,
    [property: Id(5)] long DevicesReporting,
    [property: Id(6)] MetricStats[] Metrics)
{
    /// <summary>Duplicates that arrived during the window (ingest time).</summary>
    [Id(7)] public long Duplicates { get; init; }

    /// <summary>Late readings (beyond the allowed lateness) that arrived during the window (ingest time).</summary>
    [Id(8)] public long Late { get; init; }
}
