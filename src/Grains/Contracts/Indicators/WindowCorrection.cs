namespace CitySense.Contracts.Indicators;

/// <summary>
/// Consumption moved into or out of an earlier window because an out-of-order reading split a register step in two.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct WindowCorrection([property: Id(0)] long WindowStartMs, [property: Id(1)] decimal ConsumptionDelta);
