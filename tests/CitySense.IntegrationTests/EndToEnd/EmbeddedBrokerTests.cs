using CitySense.IntegrationTests.City;
using CitySense.IntegrationTests.Fixtures;
using MQTTnet;
using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>Devices publish to the broker embedded in the silo; indicators reach the API and a real VictoriaMetrics.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class EmbeddedBrokerTests
{
    [Fact]
    public async Task Readings_published_to_the_embedded_broker_reach_the_api_and_victoria_metrics_exactly()
    {
        await using var vm = new VictoriaMetricsServer();
        await vm.StartAsync();
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Influx:Url"] = vm.Url });
        var city = new TestCity(seed: 7, TestCity.AlignedStart(DateTimeOffset.UtcNow, TimeSpan.FromHours(3)), prefix: "emb");
        var expected = new Expected(city.Readings);

        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "emb-publisher"))
        {
            foreach (var (topic, payload) in city.Messages())
            {
                // QoS 1 on the embedded broker: the PUBACK comes once the readings are applied to the grains. MQTT 5
                // success codes: 0x00, or 0x10 when no other client subscribes to the telemetry.
                var code = await publisher.PublishAsync(topic, payload);
                Assert.True(code is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers, $"PUBACK {code} for {topic}");
            }

            // Bad input for one community: it is counted there and costs no other reading anything.
            await publisher.PublishAsync("city/emb-north/garden/water/emb-north-garden-w3", "{not json");
            await publisher.PublishAsync("city/emb-north/garden/water/emb-north-garden-w3", """{"total":5}""");
            await publisher.PublishAsync("city/emb-north/garden/water/emb-north-garden-w3", """{"ts":1764115200000,"total":"5"}""");
        }

        var rejected = new Dictionary<(string, string), long>
        {
            [("emb-north/garden", "water")] = 3,
            [("emb-north", "water")] = 3,
            [("city", "water")] = 3,
        };
        await IndicatorAssertions.ApiMatchesAsync(silo, city, expected, rejected);

        var rejections = await silo.GetJsonAsync("/api/rejections");
        Assert.Equal(3, rejections!.Value.GetProperty("total").GetInt64());
        Assert.Equal(1, rejections.Value.GetProperty("byReason").GetProperty("not-json").GetInt64());
        Assert.Equal(1, rejections.Value.GetProperty("byReason").GetProperty("missing-ts").GetInt64());
        Assert.Equal(1, rejections.Value.GetProperty("byReason").GetProperty("wrong-type").GetInt64());

        var device = await silo.GetJsonAsync("/api/devices/emb-south-river-w1");
        var last = city.Readings.Where(r => r.Device == "emb-south-river-w1").MaxBy(r => r.TimestampMs)!;
        Assert.Equal((double)last.Register!.Value, device!.Value.GetProperty("register").GetDouble());
        Assert.Equal(last.TimestampMs, device.Value.GetProperty("lastTimestampMs").GetInt64());

        await silo.StopAsync();
        await IndicatorAssertions.VictoriaMetricsMatchesAsync(vm, expected);
    }
}
