using CitySense.Sinks.Output;

namespace CitySense.Api.Endpoints;

/// <summary>GET /health. Status: healthy, degraded (output failing or dropping), unhealthy (MQTT edge down, HTTP 503).</summary>
public sealed record HealthReport(string Status, MqttHealth Mqtt, IngestHealth Ingest, SinkStatus Output);

public sealed record MqttHealth(string Mode, string Endpoint, bool Connected, int Connections, string? LastError, DateTimeOffset? Since);

/// <param name="Rejected">Readings or messages rejected at decoding plus readings refused by their device grain.</param>
public sealed record IngestHealth(long Messages, long MessagesApplied, long ReadingsDecoded, long ReadingsApplied, long Rejected, long Batches, long FailedBatches, int QueuedBatches);
