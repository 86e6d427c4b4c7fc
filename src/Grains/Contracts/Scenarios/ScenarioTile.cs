namespace CitySense.Contracts.Scenarios;

/// <summary>One scenario as a screen tile shows it: GET /api/scenarios lists these (docs/scenarios.md).</summary>
/// <param name="Id">Stable id, the path segment of GET /api/scenarios/{id} (for example "water-pressure").</param>
/// <param name="Domain">water, heat, gas, safety, environment, devices, data or operations.</param>
/// <param name="Headline">The tile's one figure; null while the scenario has seen nothing to compute it from.</param>
/// <param name="Unit">The headline's unit or what it counts ("communities", "%", "m³").</param>
/// <param name="Label">What the headline is, in a few words ("communities out of band"); with no headline, what the tile waits for ("waiting for the night …").</param>
/// <param name="Status"><see cref="ScenarioStatus"/>: ok, warning or alarm.</param>
[GenerateSerializer, Immutable]
public sealed record ScenarioTile(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Domain,
    [property: Id(3)] double? Headline,
    [property: Id(4)] string Unit,
    [property: Id(5)] string Label,
    [property: Id(6)] string Status);
