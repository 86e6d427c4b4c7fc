namespace CitySense.Live;

/// <summary>Live subscriptions (streams, SSE, WebSocket, MQTT republish). Bound from configuration section "Live".</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>
    /// Updates waiting between the area grains and the pump. When it is full the update is dropped and counted
    /// (/health live.feedDropped): ingestion never waits for live subscribers.
    /// </summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>Updates waiting for the Orleans stream publisher (and, separately, for the MQTT republisher).</summary>
    public int PublishQueueCapacity { get; set; } = 65_536;

    /// <summary>Messages buffered per SSE or WebSocket subscriber; a slow subscriber loses the oldest first.</summary>
    public int SubscriberBuffer { get; set; } = 1024;

    /// <summary>How often an idle SSE or WebSocket subscriber gets a status message (its drop count; keeps proxies from closing).</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Shortest time between two updates of one area (all its changed kinds). An area that applies a batch announces
    /// at once if its last update is at least this old; otherwise its changes are announced together when the interval
    /// ends. Under load an area applies many batches a second and each update carries the complete figures, so the
    /// subscriber misses nothing by getting the last; what it saves is most of the live path's CPU (docs/live.md).
    /// Zero: an update after every batch.
    /// </summary>
    public TimeSpan AreaInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Publish updates on Orleans memory streams for in-cluster scenario grains and clients. The scenario host does not
    /// read streams (the publisher calls it), so it is fed with this off too.
    /// </summary>
    public bool Streams { get; set; } = true;

    /// <summary>
    /// Shortest time between two rounds of the stream publisher: updates that come in meanwhile go out together, one
    /// batch call per stream. Each call goes to the stream's queue, a grain on any silo, and areas announce at their own
    /// moments, so publishing as they came sent each district's and the city's stream a call per community update: most
    /// of the Orleans messages between two silos under load (benchmarks/RESULTS.md §39). Zero: a round as soon as
    /// updates wait.
    /// </summary>
    public TimeSpan StreamInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long the live streams keep an update for a consumer grain that fell behind (Orleans' memory-stream cache:
    /// the minimum time in cache and the maximum age both). Consumers are delivered to as updates come; a consumer
    /// further behind than this skips ahead to the newest (indicator updates carry complete figures). The cache is
    /// bytes kept per update published: at a million devices and 60 000 readings/s it held 258 MB with 30 s
    /// (benchmarks/RESULTS.md §41), so the default is 10 s.
    /// </summary>
    public TimeSpan StreamCacheAge { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the stream publisher trusts what Orleans' pubsub said about a stream (community, district or city):
    /// whether a grain or client subscribed to it. A stream nobody subscribed to is not published (its events are
    /// counted in /health live.streamUnread); a consumer that subscribes gets events from at most this long after. The
    /// scenario host is called, not subscribed, so it does not depend on this. Zero: every stream is published, nothing
    /// asked (before 2026-12-07). Subscriptions Orleans' pubsub does not record — an implicit subscription
    /// (<c>[ImplicitStreamSubscription]</c>) — need zero.
    /// </summary>
    public TimeSpan StreamConsumerCheck { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Republish indicators and alarms as MQTT messages under <see cref="MqttTopicPrefix"/>.</summary>
    public bool MqttRepublish { get; set; } = true;

    /// <summary>
    /// Whether a community's updates also go to its own Orleans streams and MQTT topics. False: community indicators and
    /// alarms still reach stream subscribers through their district's and the city's streams, and MQTT subscribers
    /// through the district and city alarm topics (community figures are then not republished on MQTT); SSE, WebSocket
    /// and the API are unchanged. With thousands of communities each announcing every Live:AreaInterval, this fan-out
    /// carries nearly one message per reading (benchmarks/RESULTS.md §26).
    /// </summary>
    public bool CommunityFanOut { get; set; } = true;

    /// <summary>
    /// Whether a new MQTT subscriber gets every community's current figures at once, as retained messages (district and
    /// city ones always are). On the embedded broker the silo serves them from the hub's latest figures
    /// (<see cref="KeptCommunityFigures"/>) and publishes community messages without the retain flag, so the broker keeps
    /// no copy; an external broker keeps retained copies. False: a community's figures still go out on its topics as
    /// they change, and a subscriber gets them with the next update (SSE and WebSocket snapshots and the API still give
    /// them at once).
    /// </summary>
    public bool RetainCommunityIndicators { get; set; } = true;

    /// <summary>
    /// External mode: the broker user of the republish connection. Empty: the ingest user (Mqtt:Username). A broker that
    /// names clients after their user (mosquitto use_username_as_clientid) needs a user of its own here.
    /// </summary>
    public string? MqttUsername { get; set; }

    public string? MqttPassword { get; set; }

    public string MqttTopicPrefix { get; set; } = "citysense/out";

    /// <summary>Alarm events kept for GET /api/alarms (newest first).</summary>
    public int RecentAlarmsKept { get; set; } = 1000;

    /// <summary>Active alarms kept; past it the oldest active alarm is forgotten and counted.</summary>
    public int ActiveAlarmsKept { get; set; } = 10_000;
}
