using CitySense.Api.Endpoints;
using CitySense.Contracts.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CitySense.Api.Scenarios;

/// <summary>The city-brain scenarios (docs/scenarios.md): a tile each for a screen, and each one's full report.</summary>
public static class ScenarioEndpoints
{
    public static RouteGroupBuilder MapScenarioEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/scenarios", GetScenarios).WithName("GetScenarios")
            .WithSummary("Every scenario as a screen tile: id, title, domain, headline figure and status (ok, warning, alarm)");
        api.MapGet("/scenarios/{id}", GetScenario).WithName("GetScenario").WithSummary("One scenario's full report");
        return api;
    }

    private static async Task<Ok<ScenarioTile[]>> GetScenarios(IGrainFactory grains, ApiTrafficCounter traffic) =>
        TypedResults.Ok(await Host(grains).GetTiles(traffic.Current));

    private static async Task<Results<Ok<ScenarioReport>, NotFound<ProblemBody>>> GetScenario(string id, IGrainFactory grains, ApiTrafficCounter traffic) =>
        await Host(grains).GetReport(id, traffic.Current) is { } report
            ? TypedResults.Ok(report)
            : TypedResults.NotFound(new ProblemBody("not-found", $"No scenario '{id}': GET /api/scenarios lists them."));

    private static IScenarioHostGrain Host(IGrainFactory grains) => grains.GetGrain<IScenarioHostGrain>(IScenarioHostGrain.Key);
}
