using CitySense.Contracts.Live;

namespace CitySense.Contracts.Scenarios;

/// <summary>
/// The city brain (docs/scenarios.md): one grain, keyed <see cref="Key"/>, that every scenario runs in. Each silo's
/// live publisher hands it the silo's updates once per round (<see cref="Take"/>), so it starts with the first update
/// and needs no call to start.
/// </summary>
public interface IScenarioHostGrain : IGrainWithStringKey
{
    public const string Key = "city";

    /// <summary>
    /// One round of a silo's live updates (indicators of every level and alarm events), in the silo's order, alarm
    /// events a failed round left first. Immutable: on the host's own silo the array is handed over, not copied.
    /// </summary>
    Task Take(Immutable<ILiveUpdate[]> updates);

    /// <summary>Every scenario's tile, in the catalogue's order; <paramref name="traffic"/> is the calling API node's counts.</summary>
    Task<ScenarioTile[]> GetTiles(ApiTraffic traffic);

    /// <summary>One scenario's report; null for an unknown id.</summary>
    Task<ScenarioReport?> GetReport(string id, ApiTraffic traffic);
}
