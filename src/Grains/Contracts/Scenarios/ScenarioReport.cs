namespace CitySense.Contracts.Scenarios;

/// <summary>A scenario's full report: GET /api/scenarios/{id}.</summary>
/// <param name="Tile">The same tile GET /api/scenarios lists.</param>
/// <param name="Rule">The rule in one sentence, with the settings in force.</param>
/// <param name="RowUnit">Unit of <see cref="ScenarioRow.Value"/>.</param>
/// <param name="Rows">Worst first, at most Scenarios:MaxRows of them.</param>
/// <param name="RowsTotal">How many rows there were before the cut.</param>
/// <param name="Figures">Further figures of the scenario by name (docs/scenarios.md lists each scenario's).</param>
/// <param name="UpdatedAtMs">Server time of the newest update the scenario took (Unix ms); 0 before the first.</param>
[GenerateSerializer, Immutable]
public sealed record ScenarioReport(
    [property: Id(0)] ScenarioTile Tile,
    [property: Id(1)] string Rule,
    [property: Id(2)] string RowUnit,
    [property: Id(3)] ScenarioRow[] Rows,
    [property: Id(4)] int RowsTotal,
    [property: Id(5)] Dictionary<string, double> Figures,
    [property: Id(6)] long UpdatedAtMs);
