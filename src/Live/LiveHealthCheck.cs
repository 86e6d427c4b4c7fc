using CitySense.Contracts.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CitySense.Live;

/// <summary>
/// The live path's figures. Always healthy: a drop here costs a subscriber an update it can recover from a snapshot,
/// never a reading, and every drop is counted in the figures.
/// </summary>
internal sealed class LiveHealthCheck(LiveStats live, LiveHub hub, LiveFeed feed, StreamPublisher streams, MqttRepublisher mqtt) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = new LiveHealth(live.Published, live.FeedDropped, live.StreamEvents, live.StreamDropped, live.MqttMessages, live.MqttDropped, hub.Subscribers.Count, live.SubscriberDropped)
        {
            StreamCalls = live.StreamCalls,
            StreamRounds = live.StreamRounds,
            StreamUnread = live.StreamUnread,
            ScenarioEvents = live.ScenarioEvents,
            ScenarioDropped = live.ScenarioDropped,
            Queued = new LiveQueued(feed.Queued, streams.Queued, mqtt.Queued),
        };
        return Task.FromResult(HealthCheckResult.Healthy(data: new Dictionary<string, object> { [HealthSections.Report] = report }));
    }
}
