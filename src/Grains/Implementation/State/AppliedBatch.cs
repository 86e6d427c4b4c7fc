using CitySense.Contracts.Indicators;

namespace CitySense.Grains.State;

/// <summary>A batch an area applied (its id) and what the area returned for it.</summary>
[GenerateSerializer, Immutable]
public sealed record AppliedBatch([property: Id(0)] string Id, [property: Id(1)] SourceTotal[] Totals);
