using System.Buffers;
using CitySense.Contracts.Live;
using CitySense.Contracts.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace CitySense.Live;

/// <summary>
/// The retained copies of community indicator topics on the embedded broker, served from the hub's latest figures
/// instead of the broker's store (<see cref="IKeptTopics"/>). The republisher then publishes community figures without
/// the retain flag: each message is garbage as soon as it is sent, where a retained one lived until its topic's next
/// update, long enough for the GC to promote it and find it dead in its oldest generation (200 000 such messages and
/// their 224 MB of payloads at a million devices, benchmarks/RESULTS.md §56). A new subscriber still gets every
/// matching community's figures at once, marked retained. With an external broker the broker keeps them, as before.
/// </summary>
internal sealed class KeptCommunityFigures(LiveHub hub, IOptions<LiveOptions> options, IServiceProvider services) : IKeptTopics
{
    private readonly LiveOptions _options = options.Value;
    // Resolved on first use: the embedded broker's delivery needs this part, and the broker is what ISiloBroker finds.
    private readonly Lazy<ISiloBroker?> _broker = new(services.GetService<ISiloBroker>);

    /// <summary>Whether community figures are retained by the silo (embedded broker) rather than by the broker.</summary>
    public static bool KeptBySilo(LiveOptions options, ISiloBroker? broker) =>
        options is { MqttRepublish: true, CommunityFanOut: true, RetainCommunityIndicators: true } && broker is { IsEmbedded: true };

    public IEnumerable<KeptMessage> Matching(string topicFilter)
    {
        // Shared subscriptions get no retained messages (MQTT 5, 4.8.2); the embedded broker has none anyway.
        if (!KeptBySilo(_options, _broker.Value) || topicFilter.StartsWith("$share/", StringComparison.Ordinal))
        {
            return [];
        }

        var prefix = _options.MqttTopicPrefix;
        // Only the topics now, under the hub's lock (no payloads): each one's figures are copied as it is sent, so a
        // paced delivery to a slow client holds one message at a time, not a city's worth, and sends them as they are
        // then, not as they were at the subscription.
        var topics = hub.SelectFigures((level, key, kind) =>
        {
            if (level != LiveLevels.Community)
            {
                return null;
            }

            var topic = LiveTopics.CommunityIndicators(prefix, key, kind);
            return MqttTopicFilterComparer.Compare(topic, topicFilter) == MqttTopicFilterCompareResult.IsMatch ? topic : null;
        });
        return Messages(topics);
    }

    private IEnumerable<KeptMessage> Messages(List<(string Topic, string Level, string Key, string Kind)> topics)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        foreach (var (topic, level, key, kind) in topics)
        {
            if (hub.CopyFigures(level, key, kind) is not { } copy)
            {
                continue;
            }

            // The same JSON as the republished message (MqttRepublisher).
            yield return new KeptMessage(topic, LiveJson.IndicatorPayload(hub.ReadFigures(copy), buffer), MqttRepublisher.ContentType);
        }
    }
}
