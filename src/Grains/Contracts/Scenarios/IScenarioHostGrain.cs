namespace CitySense.Contracts.Scenarios;

/// <summary>
/// The city brain (docs/scenarios.md): one grain, keyed <see cref="Key"/>, that every scenario runs in. It follows
/// the city's indicator and alarm streams by implicit subscription, so it starts with the first update and needs no
/// call to start.
/// </summary>
public interface IScenarioHostGrain : IGrainWithStringKey
{
    public const string Key = "city";

    /// <summary>Every scenario's tile, in the catalogue's order; <paramref name="traffic"/> is the calling API node's counts.</summary>
    Task<ScenarioTile[]> GetTiles(ApiTraffic traffic);

    /// <summary>One scenario's report; null for an unknown id.</summary>
    Task<ScenarioReport?> GetReport(string id, ApiTraffic traffic);
}
