namespace CitySense.Grains.State;

/// <summary>A stored window aggregate: one tumbling window of one kind in one area.</summary>
[GenerateSerializer, Immutable]
public sealed record WindowState(
    [property: Id(0)] long StartMs,
    [property: Id(1)] decimal Consumption,
    [property: Id(2)] long Accepted,
    [property: Id(3)] long Rejected,
    [property: Id(4)] long Duplicates,
    [property: Id(5)] long Late,
    [property: Id(6)] long DevicesReporting,
    [property: Id(7)] decimal ConsumptionTotal,
    [property: Id(8)] double? FlowSum,
    [property: Id(9)] long DevicesTotal,
    [property: Id(10)] MetricState[] Metrics,
    [property: Id(11)] long[] LagCounts,
    [property: Id(12)] long LagTimely,
    [property: Id(13)] bool Dirty);
