using CitySense.IntegrationTests.City;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>The silo subscribes to a real mosquitto with QoS 1 and a persistent session.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ExternalBrokerTests
{
    [Fact]
    public async Task Readings_published_through_mosquitto_reach_the_api_and_victoria_metrics_exactly()
    {
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        await using var vm = new VictoriaMetricsServer();
        await vm.StartAsync();
        await using var silo = await CitySenseInstance.StartAsync(External(mosquitto, "ext-1", vm.Url));
        await WaitForSubscriptionAsync(silo);
        var city = new TestCity(seed: 11, TestCity.AlignedStart(DateTimeOffset.UtcNow, TimeSpan.FromHours(2)), prefix: "ext");
        var expected = new Expected(city.Readings);

        var messages = 0;
        await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "ext-publisher"))
        {
            foreach (var (topic, payload) in city.Messages())
            {
                await publisher.PublishAsync(topic, payload);
                messages++;
            }

            await publisher.PublishAsync("city/ext-south/river/gas/ext-south-river-g1", """{"ts":1764115200000,"total":1e400}""");
            messages++;
        }

        await WaitForAppliedAsync(silo, messages);
        var rejected = new Dictionary<(string, string), long>
        {
            [("ext-south/river", "gas")] = 1,
            [("ext-south", "gas")] = 1,
            [("city", "gas")] = 1,
        };
        await IndicatorAssertions.ApiMatchesAsync(silo, city, expected, rejected);

        await silo.StopAsync();
        await IndicatorAssertions.VictoriaMetricsMatchesAsync(vm, expected);
    }

    [Fact]
    public async Task Readings_published_while_the_silo_is_down_are_delivered_from_its_persistent_session()
    {
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        var settings = External(mosquitto, "ext-session", influxUrl: null);

        // First run creates the session (and its subscription) on the broker, then goes away gracefully.
        await using (var first = await CitySenseInstance.StartAsync(settings))
        {
            await WaitForSubscriptionAsync(first);
        }

        var city = new TestCity(seed: 5, TestCity.AlignedStart(DateTimeOffset.UtcNow, TimeSpan.FromHours(1)), readingsPerDevice: 4, prefix: "ses");
        var messages = city.Messages().ToList();
        await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "ses-publisher"))
        {
            foreach (var (topic, payload) in messages)
            {
                await publisher.PublishAsync(topic, payload);
            }
        }

        await using var second = await CitySenseInstance.StartAsync(settings);
        await WaitForAppliedAsync(second, messages.Count);
        await IndicatorAssertions.ApiMatchesAsync(second, city, new Expected(city.Readings), new Dictionary<(string, string), long>());
    }

    [Fact]
    public async Task Two_connections_of_one_silo_share_the_subscription_and_take_each_message_once()
    {
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        var settings = External(mosquitto, "ext-two", influxUrl: null);
        settings["Mqtt:Connections"] = "2";
        await using var silo = await CitySenseInstance.StartAsync(settings);
        await WaitForSubscriptionAsync(silo);
        var city = new TestCity(seed: 21, TestCity.AlignedStart(DateTimeOffset.UtcNow, TimeSpan.FromHours(1)), readingsPerDevice: 4, prefix: "two");
        var messages = city.Messages().ToList();
        await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "two-publisher"))
        {
            foreach (var (topic, payload) in messages)
            {
                await publisher.PublishAsync(topic, payload);
            }
        }

        await WaitForAppliedAsync(silo, messages.Count);
        // Without the shared group each connection would get every message: twice as many applied, all counted duplicates.
        await IndicatorAssertions.ApiMatchesAsync(silo, city, new Expected(city.Readings), new Dictionary<(string, string), long>());
        var ingest = (await silo.GetJsonAsync("/health"))!.Value.GetProperty("ingest");
        Assert.Equal(messages.Count, ingest.GetProperty("messagesApplied").GetInt64());
    }

    private static Dictionary<string, string?> External(MosquittoServer mosquitto, string clientId, string? influxUrl) => new()
    {
        ["Mqtt:Mode"] = "External",
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = mosquitto.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mqtt:ClientId"] = clientId,
        ["Influx:Url"] = influxUrl,
    };

    private static Task WaitForSubscriptionAsync(CitySenseInstance silo) => Wait.UntilAsync(async () =>
    {
        var health = await silo.GetJsonAsync("/health");
        return health?.GetProperty("mqtt").GetProperty("connected").GetBoolean() == true;
    }, TimeSpan.FromSeconds(30), "the silo to connect to mosquitto");

    /// <summary>Waits until every message's batch is applied (its readings and rejections are in the indicators).</summary>
    private static Task WaitForAppliedAsync(CitySenseInstance silo, int messages) => Wait.UntilAsync(async () =>
    {
        var ingest = (await silo.GetJsonAsync("/health"))!.Value.GetProperty("ingest");
        return ingest.GetProperty("messagesApplied").GetInt64() == messages;
    }, TimeSpan.FromSeconds(60), $"{messages} messages applied");
}
