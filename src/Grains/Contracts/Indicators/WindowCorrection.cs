namespace CitySense.Contracts.Indicators;

/// <summary>
/// Consumption moved into or out of an earlier window because an out-of-order reading split a register step in two, or
/// (<see cref="Estimated"/>) the share of a reporting gap's consumption that history puts in an earlier hour.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct WindowCorrection([property: Id(0)] long WindowStartMs, [property: Id(1)] decimal ConsumptionDelta)
{
    [Id(2)] public bool Estimated { get; init; }
}
