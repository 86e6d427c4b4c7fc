using CitySense.Contracts.Operations;
using CitySense.Ingest.Mqtt;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CitySense.Ingest.Health;

/// <summary>Unhealthy while the MQTT edge is down (no broker listening, or no connection to the external broker): no reading gets in.</summary>
internal sealed class MqttHealthCheck(MqttEdgeStatus mqtt) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = new MqttHealth(mqtt.Mode.ToString(), mqtt.Endpoint, mqtt.Connected, mqtt.Connections, mqtt.LastError, mqtt.Since, mqtt.Disconnects, mqtt.LastDisconnect,
            mqtt.KeptDelivered, mqtt.KeptNotDelivered);
        var data = new Dictionary<string, object> { [HealthSections.Report] = report };
        return Task.FromResult(mqtt.Connected
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy(mqtt.LastError ?? "the MQTT edge is not connected", data: data));
    }
}
