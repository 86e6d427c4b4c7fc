using CitySense.Contracts.Operations;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Rejections;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CitySense.Ingest.Health;

/// <summary>Degraded for a minute after ingest, past capacity, dropped QoS 0 messages from an external broker.</summary>
internal sealed class IngestHealthCheck(IngestStats ingest, IngestPipeline pipeline, RejectionLog rejections) : IHealthCheck
{
    private static readonly TimeSpan DropsShowFor = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = new IngestHealth(ingest.Messages, ingest.MessagesApplied, ingest.ReadingsDecoded, ingest.ReadingsApplied, rejections.Total,
            ingest.Batches, ingest.FailedBatches, pipeline.QueuedBatches, ingest.DroppedMessages);
        var data = new Dictionary<string, object> { [HealthSections.Report] = report };
        return Task.FromResult(ingest.DroppedWithin(DropsShowFor)
            ? HealthCheckResult.Degraded("QoS 0 messages were dropped past capacity within the last minute", data: data)
            : HealthCheckResult.Healthy(data: data));
    }
}
