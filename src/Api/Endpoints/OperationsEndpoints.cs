using CitySense.Contracts.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace CitySense.Api.Endpoints;

/// <summary>What operators watch: rejected inputs and the health of every stage.</summary>
public static class OperationsEndpoints
{
    public static RouteGroupBuilder MapOperationsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/rejections", (IIngestReports reports) => TypedResults.Ok(reports.Rejections()))
            .WithName("GetRejections")
            .WithSummary("Rejected inputs: counts per reason and per community, and the most recent ones");
        api.MapGet("/cluster", async (IGrainFactory grains, IClusterManifestProvider manifests) =>
        {
            var management = grains.GetGrain<IManagementGrain>(0);
            var hosts = await management.GetHosts(onlyActive: false);
            var active = hosts.Where(h => h.Value == SiloStatus.Active).Select(h => h.Key).ToArray();
            var activations = new Dictionary<SiloAddress, int>();
            try
            {
                var stats = await management.GetRuntimeStatistics(active);
                for (var i = 0; i < active.Length; i++)
                {
                    activations[active[i]] = stats[i].ActivationCount;
                }
            }
            catch (Exception)
            {
                // A silo that does not answer yet (just died, not yet declared dead): its count stays unknown.
            }

            // The silos the grains part's owner view is built from (IngestOwners): the manifest's.
            var owners = manifests.Current.Silos;
            return TypedResults.Ok(hosts
                .Select(h => new SiloReport(h.Key.ToString(), h.Value.ToString())
                {
                    Activations = activations.TryGetValue(h.Key, out var n) ? n : null,
                    Owner = owners.ContainsKey(h.Key),
                })
                .OrderBy(s => s.Address, StringComparer.Ordinal).ToArray());
        }).WithName("GetCluster").WithSummary("The silos of the cluster and their status");
        return api;
    }

    /// <summary>
    /// GET /health: "status" (healthy, degraded, unhealthy with HTTP 503) and one section per health check the parts
    /// registered (mqtt, ingest, output, live; <see cref="HealthSections"/>), each the figures its part reports. The
    /// worst check decides the status; a check that fails to answer counts as unhealthy and shows its error.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (HealthCheckService health, CancellationToken cancellationToken) =>
        {
            var report = await health.CheckHealthAsync(cancellationToken);
            var body = new Dictionary<string, object?>(StringComparer.Ordinal) { ["status"] = Name(report.Status) };
            foreach (var (name, entry) in report.Entries)
            {
                body[name] = entry.Data.TryGetValue(HealthSections.Report, out var section)
                    ? section
                    : new HealthProblem(Name(entry.Status), entry.Description ?? entry.Exception?.Message);
            }

            return Results.Json(body, statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        }).WithName("GetHealth").WithSummary("Health of the MQTT edge, ingest, the indicator output and the live path");
        return app;
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
