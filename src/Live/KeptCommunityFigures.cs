using System.Buffers;
using System.Text.Json;
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
        var copies = hub.CopyFigures((level, key, kind) =>
        {
            if (level != LiveLevels.Community)
            {
                return null;
            }

            var topic = LiveTopics.CommunityIndicators(prefix, key, kind);
            return MqttTopicFilterComparer.Compare(topic, topicFilter) == MqttTopicFilterCompareResult.IsMatch ? topic : null;
        });
        return Messages(copies);
    }

    private IEnumerable<KeptMessage> Messages(List<(string Topic, byte[] Copy)> copies)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        foreach (var (topic, copy) in copies)
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                // The same JSON as the republished message (MqttRepublisher).
                LiveJson.WriteIndicator(writer, hub.ReadFigures(copy), LiveFilter.All, dropped: null);
            }

            yield return new KeptMessage(topic, buffer.WrittenSpan.ToArray(), MqttRepublisher.ContentType);
        }
    }
}
