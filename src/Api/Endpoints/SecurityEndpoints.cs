using CitySense.Contracts.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CitySense.Api.Endpoints;

/// <summary>GET /api/security: how the MQTT edge is protected right now, and what it refused (no secret is ever shown).</summary>
public static class SecurityEndpoints
{
    public static RouteGroupBuilder MapSecurityEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/security", (IIngestReports reports) => TypedResults.Ok(reports.Security()))
            .WithName("GetSecurity")
            .WithSummary("MQTT authentication, TLS and rate limits in force; refused connections, publishes and subscriptions per reason, and the most recent ones");
        return api;
    }
}
