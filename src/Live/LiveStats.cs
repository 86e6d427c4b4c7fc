namespace CitySense.Live;

/// <summary>Counters of the live path since start (GET /health → live).</summary>
public sealed class LiveStats
{
    private long _published;
    private long _feedDropped;
    private long _streamEvents;
    private long _streamDropped;
    private long _streamCalls;
    private long _streamRounds;
    private long _streamUnread;
    private long _scenarioEvents;
    private long _scenarioDropped;
    private long _mqttMessages;
    private long _mqttDropped;
    private long _subscriberDropped;

    /// <summary>Updates and alarm events accepted by the feed (the last sequence number given out).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Updates dropped because the feed's queue was full (the pump fell behind).</summary>
    public long FeedDropped => Interlocked.Read(ref _feedDropped);

    /// <summary>Events enqueued on Orleans streams (an update counts once per stream it goes to).</summary>
    public long StreamEvents => Interlocked.Read(ref _streamEvents);

    /// <summary>Batch calls to Orleans streams' queues: one per stream per round of the publisher (Live:StreamInterval).</summary>
    public long StreamCalls => Interlocked.Read(ref _streamCalls);

    /// <summary>Rounds of the stream publisher: at most one per Live:StreamInterval.</summary>
    public long StreamRounds => Interlocked.Read(ref _streamRounds);

    /// <summary>Events not enqueued on their Orleans stream: publish queue full, or the stream queue refused them.</summary>
    public long StreamDropped => Interlocked.Read(ref _streamDropped);

    /// <summary>
    /// Events not published because their community's or district's stream had no consumer when last checked
    /// (Live:StreamConsumerCheck): nobody would have read them.
    /// </summary>
    public long StreamUnread => Interlocked.Read(ref _streamUnread);

    /// <summary>Updates and alarm events the scenario host took (one call per round of the publisher).</summary>
    public long ScenarioEvents => Interlocked.Read(ref _scenarioEvents);

    /// <summary>Updates the scenario host did not get: publish queue full, or a round it did not take (kept alarm events once dropped).</summary>
    public long ScenarioDropped => Interlocked.Read(ref _scenarioDropped);

    public long MqttMessages => Interlocked.Read(ref _mqttMessages);

    /// <summary>MQTT republish messages dropped: queue full, broker refused, or the client was not connected.</summary>
    public long MqttDropped => Interlocked.Read(ref _mqttDropped);

    /// <summary>Messages dropped from SSE and WebSocket subscribers' buffers because they read too slowly.</summary>
    public long SubscriberDropped => Interlocked.Read(ref _subscriberDropped);

    internal void SetPublished(long seq) => Volatile.Write(ref _published, seq);

    internal void FeedDrop() => Interlocked.Increment(ref _feedDropped);

    internal void StreamEnqueued(int count) => Interlocked.Add(ref _streamEvents, count);

    internal void StreamRound(int calls)
    {
        Interlocked.Increment(ref _streamRounds);
        Interlocked.Add(ref _streamCalls, calls);
    }

    internal void NotConsumed(int count) => Interlocked.Add(ref _streamUnread, count);

    internal void StreamDrop(int count) => Interlocked.Add(ref _streamDropped, count);

    internal void ScenarioTaken(int count) => Interlocked.Add(ref _scenarioEvents, count);

    internal void ScenarioDrop(int count) => Interlocked.Add(ref _scenarioDropped, count);

    internal void MqttSent() => Interlocked.Increment(ref _mqttMessages);

    internal void MqttDrop(int count = 1) => Interlocked.Add(ref _mqttDropped, count);

    internal void SubscriberDrop() => Interlocked.Increment(ref _subscriberDropped);
}
