namespace CitySense.Live;

/// <summary>The "live" section of GET /health.</summary>
/// <param name="Published">Updates and alarm events the live feed numbered (the last sequence number).</param>
/// <param name="FeedDropped">Updates dropped because the pump fell behind (feed queue full); ingestion did not wait.</param>
/// <param name="SubscriberDropped">Messages dropped from slow SSE/WebSocket subscribers' buffers (they see their own count).</param>
public sealed record LiveHealth(long Published, long FeedDropped, long StreamEvents, long StreamDropped, long MqttMessages, long MqttDropped, int Subscribers, long SubscriberDropped);
