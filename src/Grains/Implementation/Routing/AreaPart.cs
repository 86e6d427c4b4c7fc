using CitySense.Contracts.Indicators;

namespace CitySense.Grains.Routing;

/// <summary>
/// The communities of a batch whose districts one silo owns: <c>Batches[i]</c> is community <c>Keys[i]</c>'s, in
/// district <c>Districts[i]</c>; every batch carries the router's batch id.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AreaPart(
    [property: Id(0)] string[] Keys,
    [property: Id(1)] string[] Districts,
    [property: Id(2)] IndicatorBatch[] Batches,
    [property: Id(3)] string BatchId);
