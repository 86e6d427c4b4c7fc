using CitySense.Sinks.Output;

namespace CitySense.Api.Endpoints;

/// <summary>GET /health. Status: healthy, degraded (output failing or dropping), unhealthy (MQTT edge down, HTTP 503).</summary>
public sealed record HealthReport(string Status, MqttHealth Mqtt, IngestHealth Ingest, SinkStatus Output, LiveHealth Live);

public sealed record MqttHealth(string Mode, string Endpoint, bool Connected, int Connections, string? LastError, DateTimeOffset? Since);

/// <param name="Rejected">Readings or messages rejected at decoding plus readings refused by their device grain.</param>
public sealed record IngestHealth(long Messages, long MessagesApplied, long ReadingsDecoded, long ReadingsApplied, long Rejected, long Batches, long FailedBatches, int QueuedBatches);

/// <param name="Published">Updates and alarm events the live feed numbered (the last sequence number).</param>
/// <param name="FeedDropped">Updates dropped because the pump fell behind (feed queue full); ingestion did not wait.</param>
/// <param name="SubscriberDropped">Messages dropped from slow SSE/WebSocket subscribers' buffers (they see their own count).</param>
public sealed record LiveHealth(long Published, long FeedDropped, long StreamEvents, long StreamDropped, long MqttMessages, long MqttDropped, int Subscribers, long SubscriberDropped);
