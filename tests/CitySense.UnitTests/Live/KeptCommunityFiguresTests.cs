using System.Text;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace CitySense.UnitTests.Live;

/// <summary>
/// The community figures the silo serves as retained messages on the embedded broker: the topics an MQTT filter matches,
/// each with the JSON the republisher sent last; nothing where the broker keeps them (external mode) or nobody does.
/// </summary>
public sealed class KeptCommunityFiguresTests
{
    private static readonly IndicatorUpdate[] Updates =
    [
        Update(1, "city", "city", "water"),
        Update(2, "district", "d1", "water"),
        Update(3, "community", "d1/c1", "water"),
        Update(4, "community", "d1/c1", "heat"),
        Update(5, "community", "d1/c2", "water"),
        Update(6, "community", "d2/c1", "gas"),
        // Newer figures of an area and kind replace the older ones.
        Update(7, "community", "d1/c1", "water"),
    ];

    [Theory]
    [InlineData("citysense/out/#", "d1/c1/heat d1/c1/water d1/c2/water d2/c1/gas")]
    [InlineData("citysense/out/community/d1/#", "d1/c1/heat d1/c1/water d1/c2/water")]
    [InlineData("citysense/out/community/+/c1/indicators/+", "d1/c1/heat d1/c1/water d2/c1/gas")]
    [InlineData("citysense/out/+/+/+/indicators/water", "d1/c1/water d1/c2/water")]
    [InlineData("citysense/out/community/d1/c1/indicators/heat", "d1/c1/heat")]
    [InlineData("citysense/out/district/#", "")]
    [InlineData("citysense/out/community/d1/c1/alarms", "")]
    [InlineData("other/#", "")]
    [InlineData("$share/g/citysense/out/#", "")]
    public void A_filter_gets_the_latest_figures_of_the_community_topics_it_matches(string filter, string expected)
    {
        var kept = Kept(new LiveOptions(), embedded: true);

        var messages = kept.Matching(filter).ToList();

        var want = expected.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => $"citysense/out/community/{t[..t.LastIndexOf('/')]}/indicators/{t[(t.LastIndexOf('/') + 1)..]}").Order();
        Assert.Equal(want, messages.Select(m => m.Topic).Order());
        foreach (var message in messages)
        {
            // The republisher's JSON of the newest update of that community and kind.
            var newest = Updates.Last(u => LiveTopics.Indicators("citysense/out", u) == message.Topic);
            Assert.Equal(Json(newest), Encoding.UTF8.GetString(message.Payload));
            Assert.Equal("application/json", message.ContentType);
        }
    }

    [Theory]
    [InlineData(true, true, true, false)] // external broker: it retains them itself
    [InlineData(false, true, true, true)] // Live:RetainCommunityIndicators=false
    [InlineData(true, false, true, true)] // Live:CommunityFanOut=false: no community topics at all
    [InlineData(true, true, false, true)] // Live:MqttRepublish=false
    public void Nothing_is_kept_where_the_broker_retains_the_figures_or_nobody_should(bool retain, bool fanOut, bool republish, bool embedded)
    {
        var kept = Kept(new LiveOptions { RetainCommunityIndicators = retain, CommunityFanOut = fanOut, MqttRepublish = republish }, embedded);

        Assert.Empty(kept.Matching("citysense/out/#"));
    }

    private static KeptCommunityFigures Kept(LiveOptions live, bool embedded)
    {
        var options = Options.Create(live);
        var hub = new LiveHub(options, new AlarmBook(options), new LiveStats(), TimeProvider.System, TestSerializer.Instance);
        hub.Publish(Updates);
        var services = new ServiceCollection().AddSingleton<ISiloBroker>(new Broker(embedded)).BuildServiceProvider();
        return new KeptCommunityFigures(hub, options, services);
    }

    private static IndicatorUpdate Update(long seq, string level, string key, string kind)
    {
        var stats = new[] { new MetricStats("flow", 3, 0.5 * seq, 1.5 * seq, seq, 3.0 * seq, 1_764_115_200_000 + seq) };
        var window = new WindowSnapshot(1_764_115_200_000, 1_764_115_260_000, 1.5m * seq, 3, 2, 3, stats);
        var figures = new KindSnapshot(kind, 100m + seq, 0.25 * seq, 2, 3 + seq, 0, stats, [window]);
        return new IndicatorUpdate(seq, 1_764_115_300_000 + seq, level, key, figures);
    }

    private static string Json(IndicatorUpdate update) => Encoding.UTF8.GetString(LiveJson.IndicatorPayload(update, new()));

    /// <summary>Where the edge's broker is; nothing is published through it here.</summary>
    private sealed class Broker(bool embedded) : ISiloBroker
    {
        public bool IsEmbedded => embedded;

        public BrokerEndpoint? External => embedded ? null : new BrokerEndpoint("127.0.0.1", 1883, "silo", null, null);

        public Task<bool> InjectAsync(string topic, byte[] payload, bool atLeastOnce, bool retain, string contentType, CancellationToken cancellationToken) =>
            throw new NotSupportedException("nothing is published in these tests");
    }
}
