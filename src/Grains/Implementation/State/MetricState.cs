namespace CitySense.Grains.State;

/// <summary>A stored metric accumulator (count, min, max, sum and latest value of one metric).</summary>
[GenerateSerializer, Immutable]
public sealed record MetricState(
    [property: Id(0)] string Name,
    [property: Id(1)] long Count,
    [property: Id(2)] double Min,
    [property: Id(3)] double Max,
    [property: Id(4)] double Sum,
    [property: Id(5)] double Latest,
    [property: Id(6)] long LatestTimestampMs);
