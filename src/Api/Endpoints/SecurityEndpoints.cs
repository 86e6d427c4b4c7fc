using CitySense.Ingest.Limits;
using CitySense.Ingest.Mqtt;
using CitySense.Ingest.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CitySense.Api.Endpoints;

/// <summary>GET /api/security: how the MQTT edge is protected right now, and what it refused (no secret is ever shown).</summary>
public static class SecurityEndpoints
{
    public static RouteGroupBuilder MapSecurityEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/security", (IOptions<MqttOptions> mqtt, CredentialStore credentials, PublishRateLimiter limits, SecurityLog log) =>
        {
            var o = mqtt.Value;
            var embedded = o.Mode == MqttMode.Embedded;
            return TypedResults.Ok(new SecurityReport(
                o.Mode.ToString(),
                Authentication: embedded ? credentials.Enabled ? "credentials-file" : "off" : "external-broker",
                Credentials: credentials.Enabled ? credentials.Count : null,
                BindAddress: embedded ? o.BindAddress : null,
                PlainPort: embedded && !(o.Tls.Enabled && o.Tls.DisablePlainEndpoint) ? o.Port : null,
                TlsPort: embedded && o.Tls.Enabled ? o.Tls.Port : null,
                new RateLimitReport(limits.Device.MessagesPerSecond, limits.Device.Burst),
                new RateLimitReport(limits.Connection.MessagesPerSecond, limits.Connection.Burst),
                log.Total,
                log.ByReason(),
                log.Recent()));
        })
        .WithName("GetSecurity")
        .WithSummary("MQTT authentication, TLS and rate limits in force; refused connections, publishes and subscriptions per reason, and the most recent ones");
        return api;
    }
}
