namespace CitySense.Grains.State;

/// <summary>
/// A stored kind aggregate of an area: its totals and its open windows. The aggregate converts itself to and from this
/// form, so stored state knows nothing of the logic that uses it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record KindState(
    [property: Id(0)] string Kind,
    [property: Id(1)] decimal Consumption,
    [property: Id(2)] long DevicesReporting,
    [property: Id(3)] long Accepted,
    [property: Id(4)] long Rejected,
    [property: Id(5)] long Duplicates,
    [property: Id(6)] long Late,
    [property: Id(7)] long LateBeyondWindows,
    [property: Id(8)] double FlowSum,
    [property: Id(9)] bool HasFlow,
    [property: Id(10)] long EvictedThroughMs,
    [property: Id(11)] MetricState[] Metrics,
    [property: Id(12)] WindowState[] Windows);
