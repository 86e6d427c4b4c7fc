using CitySense.Output.Writing;

namespace CitySense.Api.Endpoints;

/// <summary>GET /health. Status: healthy, degraded (output failing or dropping, or ingest dropping QoS 0 messages within the last minute), unhealthy (MQTT edge down, HTTP 503).</summary>
public sealed record HealthReport(string Status, MqttHealth Mqtt, IngestHealth Ingest, SinkStatus Output, LiveHealth Live);

/// <param name="Disconnects">External mode: connections to the broker lost or replaced since start (0 in a healthy run).</param>
/// <param name="LastDisconnect">External mode: when and why the last one was lost.</param>
public sealed record MqttHealth(string Mode, string Endpoint, bool Connected, int Connections, string? LastError, DateTimeOffset? Since, long Disconnects, string? LastDisconnect);

/// <param name="Rejected">Readings or messages rejected at decoding plus readings refused by their device grain.</param>
/// <param name="DroppedMessages">QoS 0 messages from an external broker dropped undecoded because ingest was past capacity.</param>
public sealed record IngestHealth(long Messages, long MessagesApplied, long ReadingsDecoded, long ReadingsApplied, long Rejected, long Batches, long FailedBatches, int QueuedBatches, long DroppedMessages);

/// <param name="Published">Updates and alarm events the live feed numbered (the last sequence number).</param>
/// <param name="FeedDropped">Updates dropped because the pump fell behind (feed queue full); ingestion did not wait.</param>
/// <param name="SubscriberDropped">Messages dropped from slow SSE/WebSocket subscribers' buffers (they see their own count).</param>
public sealed record LiveHealth(long Published, long FeedDropped, long StreamEvents, long StreamDropped, long MqttMessages, long MqttDropped, int Subscribers, long SubscriberDropped);
