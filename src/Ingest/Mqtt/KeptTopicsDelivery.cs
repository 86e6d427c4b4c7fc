using System.Collections;
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
/// client and drops the oldest beyond that, so the 35 000 communities' figures of a city, enqueued at once, would push
/// out most of them and the subscriber's live messages too.
/// </summary>
public sealed partial class KeptTopicsDelivery(IEnumerable<IKeptTopics> kept, MqttEdgeStatus status, TimeProvider time, ILogger<KeptTopicsDelivery> logger)
{
    // Kept messages may be sent while the client has fewer than this many waiting; the rest of MQTTnet's queue stays
    // for its live messages.
    private const int Window = 250;
    // A client whose queue does not go down for this long is left without the rest (counted, logged).
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(30);
    // Session item per subscribed filter: MQTTnet does not tell the event whether a subscription is new, nor a
    // delivery whether its subscription is still there.
    private const string SubscribedItem = "citysense.kept-topics:";
    private readonly IKeptTopics[] _kept = kept.ToArray();
    private readonly CancellationTokenSource _stopping = new();

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

    /// <summary>The broker stops: deliveries under way end.</summary>
    public void Stop() => _stopping.Cancel();

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

        IEnumerable<KeptMessage>[] parts;
        try
        {
            // The topics as of now; each message is built as it is sent (in the background, so the subscribe is
            // acknowledged without waiting for them).
            parts = _kept.Select(k => k.Matching(filter.Topic)).ToArray();
        }
        catch (Exception ex)
        {
            // The subscription stands; only its retained figures are missing.
            status.CountKeptNotDelivered();
            LogFailed(ex, e.ClientId, 0);
            return Task.CompletedTask;
        }

        _ = DeliverAsync(server, e.ClientId, e.SessionItems, item, parts);
        return Task.CompletedTask;
    }

    private async Task DeliverAsync(MqttServer server, string clientId, IDictionary sessionItems, string item, IEnumerable<KeptMessage>[] parts)
    {
        await Task.Yield();
        long delivered = 0;
        var stopping = _stopping.Token;
        try
        {
            // Found by client id: it must still be the session that subscribed (a client that reconnected with a clean
            // start has a new one, without this subscription).
            var session = await server.GetSessionAsync(clientId);
            if (!ReferenceEquals(session.Items, sessionItems))
            {
                return;
            }

            foreach (var kept in parts.SelectMany(p => p))
            {
                var pending = session.PendingApplicationMessagesCount;
                var since = time.GetUtcNow();
                while (pending >= Window)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(10), time, stopping);
                    var now = session.PendingApplicationMessagesCount;
                    if (now < pending)
                    {
                        // The client is taking messages (live ones too): not stalled.
                        since = time.GetUtcNow();
                    }
                    else if (time.GetUtcNow() - since > Stall)
                    {
                        LogStalled(clientId, delivered);
                        status.CountKeptNotDelivered();
                        return;
                    }

                    pending = now;
                }

                if (!sessionItems.Contains(item))
                {
                    return; // unsubscribed meanwhile
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
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The broker stops: nothing to deliver to.
        }
        catch (Exception ex)
        {
            // The client went away with its session (MQTTnet throws for a session it no longer has), or a message
            // could not be built.
            status.CountKeptNotDelivered();
            LogFailed(ex, clientId, delivered);
        }
    }

    [LoggerMessage(EventId = 440, Level = LogLevel.Warning, Message = "MQTT client {ClientId} took no messages for 30 s while being sent its retained figures; {Delivered} were sent, the rest are not")]
    private partial void LogStalled(string clientId, long delivered);

    [LoggerMessage(EventId = 441, Level = LogLevel.Information, Message = "Retained figures for MQTT client {ClientId} stopped after {Delivered}")]
    private partial void LogFailed(Exception ex, string clientId, long delivered);
}
