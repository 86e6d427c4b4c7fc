using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit;

namespace CitySense.IntegrationTests.Live;

/// <summary>Indicators and alarms republished under citysense/out/..., read by a real MQTT subscriber.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class MqttRepublishTests
{
    [Fact]
    public async Task An_mqtt_subscriber_of_the_embedded_broker_gets_indicators_per_area_and_alarms_per_level()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        await using var subscriber = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/#");
        await PublishReadingAndAlarmAsync(silo, "mr");

        var expected = RepublishedTopics("mr");
        await Wait.UntilAsync(() => Task.FromResult(expected.All(subscriber.Messages.ContainsKey)), TimeSpan.FromSeconds(30),
            "every republished topic; got " + string.Join(", ", subscriber.Messages.Keys));

        var community = subscriber.Messages[expected[0]];
        Assert.Equal(("indicators", "community", "mr-d/mr-c"), (community.GetProperty("type").GetString(), community.GetProperty("level").GetString(), community.GetProperty("key").GetString()));
        Assert.Equal(0.75, community.GetProperty("figures").GetProperty("flowSum").GetDouble());
        Assert.Equal(1, community.GetProperty("figures").GetProperty("accepted").GetInt64());
        var cityAlarm = subscriber.Messages[expected[5]].GetProperty("alarm");
        Assert.Equal(("mr-w1/leak/1", "Critical", "Raised"), (cityAlarm.GetProperty("alarmId").GetString(), cityAlarm.GetProperty("severity").GetString(), cityAlarm.GetProperty("state").GetString()));

        // Indicator topics are retained: a scenario app that connects later gets the current figures at once.
        await using var late = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/+/+/+/indicators/#");
        await Wait.UntilAsync(() => Task.FromResult(late.Messages.ContainsKey(expected[0])), TimeSpan.FromSeconds(30), "the retained community figures");
    }

    [Fact]
    public async Task A_late_mosquitto_sub_gets_every_area_s_current_figures_as_retained_messages_the_community_s_from_the_silo()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        await using var subscriber = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/#");
        await PublishReadingAndAlarmAsync(silo, "mk");
        var live = RepublishedTopics("mk");
        // Waiting for the alarm topics too: none of them is retained, and one arriving while mosquitto_sub subscribes
        // would end it early.
        await Wait.UntilAsync(() => Task.FromResult(live.All(subscriber.Messages.ContainsKey)), TimeSpan.FromSeconds(30),
            "the indicator and alarm topics; got " + string.Join(", ", subscriber.Messages.Keys));
        // The broker keeps the district's and the city's figures, not the community's: the silo serves those.
        var brokerRetained = (await silo.Services.GetRequiredService<CitySense.Ingest.Mqtt.EmbeddedBroker>().Server!.GetRetainedMessagesAsync()).Select(m => m.Topic).ToList();
        Assert.Contains(live[1], brokerRetained);
        Assert.DoesNotContain(live[0], brokerRetained);

        // Debian's mosquitto_sub prints the retained messages it is sent and stops at the first one that is not.
        var retained = await Edge.OutsideClients.MosquittoSubRetainedAsync(silo.MqttPort, "citysense/out/#", TimeSpan.FromSeconds(5));

        Assert.Contains(live[0], retained);
        Assert.Contains(live[1], retained);
        Assert.Contains(live[2], retained);
        // The same figures as the live message, and counted where operators look.
        await using var late = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/community/#");
        await Wait.UntilAsync(() => Task.FromResult(late.Retained.Contains(live[0])), TimeSpan.FromSeconds(30), "the community's retained figures");
        Assert.Equal(subscriber.Messages[live[0]].GetRawText(), late.Messages[live[0]].GetRawText());
        var mqtt = (await silo.GetJsonAsync("/health"))!.Value.GetProperty("mqtt");
        Assert.True(mqtt.GetProperty("retainedFiguresSent").GetInt64() >= 2, mqtt.GetRawText());
        Assert.Equal(0, mqtt.GetProperty("retainedFiguresCut").GetInt64());
    }

    [Fact]
    public async Task The_silo_s_retained_figures_follow_mqtt5_retain_handling()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        await using var subscriber = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/#");
        await PublishReadingAndAlarmAsync(silo, "mh");
        var live = RepublishedTopics("mh");
        await Wait.UntilAsync(() => Task.FromResult(live.All(subscriber.Messages.ContainsKey)), TimeSpan.FromSeconds(30),
            "the indicator and alarm topics; got " + string.Join(", ", subscriber.Messages.Keys));

        // "Do not send": neither the broker's retained district figures nor the silo's community figures.
        await using var never = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/+/+/indicators/#", MqttRetainHandling.DoNotSendOnSubscribe);
        await using var neverCommunity = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/+/+/+/indicators/#", MqttRetainHandling.DoNotSendOnSubscribe);
        // "Only for a new subscription": once, not again when the same filter is subscribed once more.
        await using var once = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/community/#", MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly);
        await Wait.UntilAsync(() => Task.FromResult(once.Retained.Contains(live[0])), TimeSpan.FromSeconds(30), "the community's figures for a new subscription");
        await once.SubscribeAsync("citysense/out/community/#", MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly);
        // A plain subscriber that connects after the two above gets its figures at once: by then the others would have too.
        await using var plain = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/community/#");
        await Wait.UntilAsync(() => Task.FromResult(plain.Retained.Contains(live[0])), TimeSpan.FromSeconds(30), "the community's figures for a plain subscription");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Empty(never.Retained);
        Assert.Empty(neverCommunity.Retained);
        Assert.Equal(1, once.RetainedCount(live[0]));
    }

    [Fact]
    public async Task With_community_fan_out_off_only_district_and_city_topics_are_republished()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Live:CommunityFanOut"] = "false" });
        await using var subscriber = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/#");
        await PublishReadingAndAlarmAsync(silo, "mf");

        // The alarm goes out after the indicators, and its community topic would come before its district's: once the
        // district and city alarm topics are here, a community topic would be too.
        var expected = RepublishedTopics("mf").Where(topic => !topic.StartsWith("citysense/out/community/", StringComparison.Ordinal)).ToArray();
        await Wait.UntilAsync(() => Task.FromResult(expected.All(subscriber.Messages.ContainsKey)), TimeSpan.FromSeconds(30),
            "the district and city topics; got " + string.Join(", ", subscriber.Messages.Keys));
        Assert.DoesNotContain(subscriber.Messages.Keys, topic => topic.StartsWith("citysense/out/community/", StringComparison.Ordinal));
        Assert.Equal(1, subscriber.Messages[expected[0]].GetProperty("figures").GetProperty("accepted").GetInt64());
        // Nothing of it counted as dropped: community figures were not meant to go.
        var live = (await silo.GetJsonAsync("/health"))!.Value.GetProperty("live");
        Assert.Equal(0, live.GetProperty("mqttDropped").GetInt64());
    }

    [Fact]
    public async Task With_community_figures_not_retained_a_late_mosquitto_sub_gets_the_district_and_city_figures_only()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Live:RetainCommunityIndicators"] = "false" });
        await using var subscriber = await Subscriber.ConnectAsync(silo.MqttPort, "citysense/out/#");
        await PublishReadingAndAlarmAsync(silo, "mn");
        var live = RepublishedTopics("mn");
        // Still published as they change: a subscriber that was there gets the community's figures. Waiting for the
        // alarm topics too: none of them is retained, and one arriving while mosquitto_sub subscribes would end it early.
        await Wait.UntilAsync(() => Task.FromResult(live.All(subscriber.Messages.ContainsKey)), TimeSpan.FromSeconds(30),
            "the indicator and alarm topics; got " + string.Join(", ", subscriber.Messages.Keys));

        // Debian's mosquitto_sub, subscribing now, prints the retained messages it is sent at once and stops at the first
        // message that is not retained (or after 5 s).
        var retained = await Edge.OutsideClients.MosquittoSubRetainedAsync(silo.MqttPort, "citysense/out/#", TimeSpan.FromSeconds(5));

        Assert.Contains(live[1], retained);
        Assert.Contains(live[2], retained);
        Assert.DoesNotContain(live[0], retained);
    }

    /// <summary>
    /// The topics <see cref="PublishReadingAndAlarmAsync"/> reaches, in the order they go out: the indicators of the
    /// community, its district and the city, then the alarm on the same three levels.
    /// </summary>
    private static string[] RepublishedTopics(string p) =>
    [
        $"citysense/out/community/{p}-d/{p}-c/indicators/water",
        $"citysense/out/district/{p}-d/indicators/water",
        "citysense/out/city/indicators/water",
        $"citysense/out/community/{p}-d/{p}-c/alarms",
        $"citysense/out/district/{p}-d/alarms",
        "citysense/out/city/alarms",
    ];

    /// <summary>One water reading of {p}-w1 in {p}-d/{p}-c through the broker, then a critical leak alarm of it on the live feed.</summary>
    private static async Task PublishReadingAndAlarmAsync(CitySenseInstance silo, string p)
    {
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, $"{p}-publisher"))
        {
            var ts = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
            await publisher.PublishAsync($"city/{p}-d/{p}-c/water/{p}-w1", $$"""{"ts":{{ts}},"total":10.5,"flow":0.75}""");
        }

        var alarm = new AlarmEvent($"{p}-w1/leak/1", "leak", AlarmSeverity.Critical, AlarmState.Raised, $"{p}-d", $"{p}-c", "water", $"{p}-w1", 1, null, 0.75, 0.75, "Continuous flow");
        silo.Services.GetRequiredService<ILiveFeed>().AlarmChanged(alarm);
    }

    [Fact]
    public async Task In_external_mode_indicators_are_republished_through_the_external_broker()
    {
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        await using var silo = await StartExternalAsync(mosquitto, "mr-silo");
        await using var subscriber = await Subscriber.ConnectAsync(mosquitto.Port, "citysense/out/#");
        await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "mr-ext-publisher"))
        {
            var ts = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
            await publisher.PublishAsync("city/mx-d/mx-c/heat/mx-h1", $$"""{"ts":{{ts}},"energy":1200.5,"flow":0.4,"supplyTemp":70,"returnTemp":50}""");
        }

        const string topic = "citysense/out/community/mx-d/mx-c/indicators/heat";
        await Wait.UntilAsync(() => Task.FromResult(subscriber.Messages.ContainsKey(topic)), TimeSpan.FromSeconds(30), "the heat figures on " + topic);
        Assert.Equal(1, subscriber.Messages[topic].GetProperty("figures").GetProperty("accepted").GetInt64());
    }

    [Fact]
    public async Task In_external_mode_mosquitto_sub_gets_every_alarm_change_of_a_flapping_meter_in_order()
    {
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        await using var silo = await StartExternalAsync(mosquitto, "mo-silo");
        const string topic = "citysense/out/city/alarms";
        await using var subscriber = await Edge.MosquittoSub.StartAsync(mosquitto.Port, topic);

        // Pressure below the water minimum (0.15) and back, 20 times: 40 alarm changes. The republisher keeps several
        // QoS 1 messages in flight; they must still reach a subscriber in the order the live feed numbered them.
        const int changes = 40;
        await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "mo-publisher"))
        {
            var ts = DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeMilliseconds();
            for (var i = 0; i < changes; i++)
            {
                var pressure = i % 2 == 0 ? "0.1" : "0.3";
                await publisher.PublishAsync("city/mo-d/mo-c/water/mo-w1", $$"""{"ts":{{ts + (i * 10_000L)}},"total":{{100 + i}},"flow":0,"pressure":{{pressure}}}""");
            }
        }

        await Wait.UntilAsync(() => Task.FromResult(subscriber.Payloads(topic).Count >= changes), TimeSpan.FromSeconds(60), $"{changes} alarm changes on {topic}");
        var received = subscriber.Payloads(topic).Select(p => JsonDocument.Parse(p).RootElement).ToList();
        var seqs = received.Select(m => m.GetProperty("seq").GetInt64()).ToList();
        Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.First < p.Second), "live sequence numbers out of order: " + string.Join(", ", seqs));
        Assert.Equal(changes, received.Count(m => m.GetProperty("alarm").GetProperty("type").GetString() == "pressure-low"));
    }

    /// <summary>A silo in External mode on <paramref name="mosquitto"/>, connected.</summary>
    private static async Task<CitySenseInstance> StartExternalAsync(MosquittoServer mosquitto, string clientId)
    {
        var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "External",
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = mosquitto.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = clientId,
        });
        try
        {
            await Wait.UntilAsync(async () => (await silo.GetJsonAsync("/health"))!.Value.GetProperty("mqtt").GetProperty("connected").GetBoolean(), TimeSpan.FromSeconds(30), "the silo to connect");
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>A scenario app's MQTT client: keeps the last message of every topic.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        private readonly ConcurrentDictionary<string, int> _retained = new();

        public ConcurrentDictionary<string, JsonElement> Messages { get; } = new();

        /// <summary>Topics of the messages that came with the retain flag (sent at subscription, not live).</summary>
        public ICollection<string> Retained => _retained.Keys;

        public int RetainedCount(string topic) => _retained.GetValueOrDefault(topic);

        public static async Task<Subscriber> ConnectAsync(int port, string filter, MqttRetainHandling retainHandling = MqttRetainHandling.SendAtSubscribe)
        {
            var subscriber = new Subscriber();
            subscriber._client.ApplicationMessageReceivedAsync += e =>
            {
                var json = Encoding.UTF8.GetString(e.ApplicationMessage.Payload);
                subscriber.Messages[e.ApplicationMessage.Topic] = JsonDocument.Parse(json).RootElement.Clone();
                if (e.ApplicationMessage.Retain)
                {
                    subscriber._retained.AddOrUpdate(e.ApplicationMessage.Topic, 1, (_, n) => n + 1);
                }

                return Task.CompletedTask;
            };
            await subscriber._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithClientId($"scenario-{Guid.NewGuid():N}").Build());
            await subscriber.SubscribeAsync(filter, retainHandling);
            return subscriber;
        }

        public Task SubscribeAsync(string filter, MqttRetainHandling retainHandling) =>
            _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(new MqttTopicFilterBuilder().WithTopic(filter).WithAtLeastOnceQoS().WithRetainHandling(retainHandling).Build())
                .Build());

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }

            _client.Dispose();
        }
    }
}
