using CitySense.Contracts.Operations;
using CitySense.Output.Writing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CitySense.Output.Health;

/// <summary>Degraded while the output fails, or once it has spilled or dropped lines: the city brain's figures are behind or incomplete.</summary>
internal sealed class OutputHealthCheck(BufferedLineSink sink) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = sink.Status;
        var data = new Dictionary<string, object> { [HealthSections.Report] = status };
        return Task.FromResult(status.LastError is not null || status.LinesDropped > 0 || status.LinesSpilled > 0
            ? HealthCheckResult.Degraded(status.LastError ?? "lines were spilled or dropped", data: data)
            : HealthCheckResult.Healthy(data: data));
    }
}
