namespace CitySense.Contracts.History;

/// <summary>
/// One meter's consumption in one local day (the billing view), or in one local month when asked with step 1mo.
/// <paramref name="Estimated"/> is the part spread over a reporting gap (docs/history.md).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MeterDay(
    [property: Id(0)] string Device,
    [property: Id(1)] long StartMs,
    [property: Id(2)] long EndMs,
    [property: Id(3)] string LocalStart,
    [property: Id(4)] decimal Consumption,
    [property: Id(5)] decimal Estimated);
