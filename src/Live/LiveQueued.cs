namespace CitySense.Live;

/// <summary>
/// The live path's queues as they are now (GET /health → live.queued): updates waiting for the pump (<c>feed</c>,
/// Live:QueueCapacity), the stream publisher and the MQTT republisher (Live:PublishQueueCapacity each). A queue that
/// stays long is a stage that cannot keep up; what a full queue turns away is counted in the matching dropped figure.
/// </summary>
public sealed record LiveQueued(int Feed, int Streams, int Mqtt);
