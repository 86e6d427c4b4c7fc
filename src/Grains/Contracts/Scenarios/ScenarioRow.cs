namespace CitySense.Contracts.Scenarios;

/// <summary>One line of a scenario's report: an area (or an alarm, or an API node) and its figure, worst first.</summary>
/// <param name="Area">"{district}/{community}", a district id, or what the scenario ranks (an API node).</param>
/// <param name="Value">The figure the scenario ranks by, in the report's <see cref="ScenarioTile.Unit"/> unless <see cref="ScenarioReport.RowUnit"/> says otherwise.</param>
/// <param name="Status"><see cref="ScenarioStatus"/> of this line.</param>
/// <param name="Note">Details for an operator (devices, alarm ids, the figures behind a ratio).</param>
[GenerateSerializer, Immutable]
public sealed record ScenarioRow(
    [property: Id(0)] string Area,
    [property: Id(1)] double Value,
    [property: Id(2)] string Status,
    [property: Id(3)] string? Note);
