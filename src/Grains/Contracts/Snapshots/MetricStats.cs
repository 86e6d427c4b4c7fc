namespace CitySense.Contracts.Snapshots;

/// <summary>Generic statistics of one metric over the readings of a window or since start.</summary>
[GenerateSerializer, Immutable]
public sealed record MetricStats(
    [property: Id(0)] string Name,
    [property: Id(1)] long Count,
    [property: Id(2)] double Min,
    [property: Id(3)] double Max,
    [property: Id(4)] double Mean,
    [property: Id(5)] double Latest,
    [property: Id(6)] long LatestTimestampMs);
