namespace CitySense.Live;

/// <summary>The "live" section of GET /health.</summary>
/// <param name="Published">Updates and alarm events the live feed numbered (the last sequence number).</param>
/// <param name="FeedDropped">Updates dropped because the pump fell behind (feed queue full); ingestion did not wait.</param>
/// <param name="SubscriberDropped">Messages dropped from slow SSE/WebSocket subscribers' buffers (they see their own count).</param>
/// <param name="StreamCalls">Batch calls to Orleans streams' queues (one per stream per round).</param>
/// <param name="StreamRounds">Rounds of the stream publisher (at most one per Live:StreamInterval).</param>
public sealed record LiveHealth(long Published, long FeedDropped, long StreamEvents, long StreamDropped, long MqttMessages, long MqttDropped, int Subscribers, long SubscriberDropped)
{
    public long StreamCalls { get; init; }

    public long StreamRounds { get; init; }

    /// <summary>Events not published because their community's or district's stream had no consumer (Live:StreamConsumerCheck).</summary>
    public long StreamUnread { get; init; }

    /// <summary>Updates and alarm events the scenario host took (docs/scenarios.md).</summary>
    public long ScenarioEvents { get; init; }

    /// <summary>Updates the scenario host did not get: publish queue full or a round it did not take.</summary>
    public long ScenarioDropped { get; init; }

    /// <summary>Updates waiting now: for the pump (feed), the stream publisher and the MQTT republisher.</summary>
    public LiveQueued? Queued { get; init; }
}
