using CitySense.Contracts.Telemetry;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CitySense.Ingest.Mqtt;

/// <summary>
/// Hands a new subscriber of the embedded broker the latest messages of topics the silo keeps itself
/// (<see cref="IKeptTopics"/>: the community indicators), marked retained, as the broker does with its own retained
/// messages; honours MQTT 5 retain handling (not at all, or only for a new subscription). Sent after the subscription
/// is in place, paced by the client's queue: MQTTnet queues at most MaxPendingMessagesPerClient (1 000) messages per
/// client and drops the oldest beyond that, so the 35 000 communities' figures of a city, enqueued at once, would
/// reach a subscriber of <c>citysense/out/#</c> as their last thousand and push its live messages out too.
/// </summary>
public sealed partial class KeptTopicsDelivery(IEnumerable<IKeptTopics> kept, MqttEdgeStatus status, ILogger<KeptTopicsDelivery> logger)
{
    // Kept messages a client may have waiting at once; the rest of MQTTnet's queue stays for its live messages.
    private const int Window = 250;
    // A client that takes nothing for this long is left without the rest (counted, logged).
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(30);
    // Session item per subscribed filter: MQTTnet does not tell the event whether a subscription is new.
    private const string SubscribedItem = "citysense.kept-topics:";
    private readonly IKeptTopics[] _kept = kept.ToArray();

    public void Attach(MqttServer server)
    {
        if (_kept.Length == 0)
        {
            return;
        }

        server.ClientSubscribedTopicAsync += e => OnSubscribed(server, e);
        server.ClientUnsubscribedTopicAsync += e =>
        {
            e.SessionItems.Remove(SubscribedItem + e.TopicFilter);
            return Task.CompletedTask;
        };
    }

    private Task OnSubscribed(MqttServer server, ClientSubscribedTopicEventArgs e)
    {
        var filter = e.TopicFilter;
        var item = SubscribedItem + filter.Topic;
        var isNew = !e.SessionItems.Contains(item);
        e.SessionItems[item] = true;
        if (filter.RetainHandling == MqttRetainHandling.DoNotSendOnSubscribe
            || (filter.RetainHandling == MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly && !isNew))
        {
            return Task.CompletedTask;
        }

        // The figures as of now (each part copies what matches at once); sent in the background, so the subscribe is
        // acknowledged without waiting for them.
        var messages = _kept.Select(k => k.Matching(filter.Topic)).ToArray();
        _ = DeliverAsync(server, e.ClientId, messages);
        return Task.CompletedTask;
    }

    private async Task DeliverAsync(MqttServer server, string clientId, IEnumerable<KeptMessage>[] parts)
    {
        await Task.Yield();
        long delivered = 0;
        try
        {
            var session = await server.GetSessionAsync(clientId);
            if (session is null)
            {
                return;
            }

            foreach (var kept in parts.SelectMany(p => p))
            {
                var waitedSince = DateTime.UtcNow;
                while (session.PendingApplicationMessagesCount >= Window)
                {
                    if (DateTime.UtcNow - waitedSince > Stall)
                    {
                        LogStalled(clientId, delivered);
                        status.CountKeptNotDelivered();
                        return;
                    }

                    await Task.Delay(10);
                }

                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(kept.Topic)
                    .WithPayload(kept.Payload)
                    .WithContentType(kept.ContentType)
                    .WithRetainFlag(true)
                    .Build();
                if (!session.TryEnqueueApplicationMessage(message, out _))
                {
                    status.CountKeptNotDelivered();
                    return;
                }

                delivered++;
                status.CountKeptDelivered();
            }
        }
        catch (Exception ex)
        {
            // The client went away (its session with it) or the server stopped: nothing to deliver to.
            status.CountKeptNotDelivered();
            LogFailed(ex, clientId, delivered);
        }
    }

    [LoggerMessage(EventId = 440, Level = LogLevel.Warning, Message = "MQTT client {ClientId} took no retained figures for 30 s; {Delivered} were sent, the rest are not")]
    private partial void LogStalled(string clientId, long delivered);

    [LoggerMessage(EventId = 441, Level = LogLevel.Information, Message = "Retained figures for MQTT client {ClientId} stopped after {Delivered}")]
    private partial void LogFailed(Exception ex, string clientId, long delivered);
}
