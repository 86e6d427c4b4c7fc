using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;
using Xunit.Abstractions;

namespace CitySense.IntegrationTests.Edge;

/// <summary>
/// Gateway messages (10 000 meters in 100 communities) flooded through mosquitto by Debian's paho-mqtt, several times
/// what the silo applies meanwhile on two cores it shares with the publishers and the broker (the test prints the
/// ratio, and asserts that the silo was indeed past capacity: QoS 0 messages dropped, or a QoS 1 backlog at the broker). The silo keeps its connection (MQTTnet's keep-alive used to
/// time out behind the broker's backlog and close it, losing what the broker held); at QoS 1 every message the broker
/// acknowledged is applied; at QoS 0 every message is either applied or counted as dropped.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OverloadTests(ITestOutputHelper output)
{
    private const int Publishers = 2;


    [Theory]
    // QoS 0 for a full minute (with nothing to acknowledge, MQTTnet's own keep-alive pinged after 15 s), paced at
    // 500 000 readings/s, three times the most a silo applied here while flooded (161 000/s); flat out, the publishers
    // sent 800 000 readings/s and mosquitto held minutes of backlog.
    [InlineData(0, 60, 2500)]
    // QoS 1 flat out (paho keeps 5 000 unacknowledged) for a full minute: the backlog waits at the broker and is applied
    // after the flood, when the publishers no longer take the CPU.
    [InlineData(1, 60, 0)]
    public async Task A_flood_past_capacity_through_mosquitto_never_costs_the_silo_its_connection(int qos, int seconds, int messagesPerSecondEach)
    {
        await using var mosquitto = new MosquittoServer { MaxQueuedMessages = 10_000_000 };
        await mosquitto.StartAsync();
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "External",
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = $"overload-{qos}",
            ["Ingest:DeviceRateLimit:MessagesPerSecond"] = "0",
            ["Ingest:ConnectionRateLimit:MessagesPerSecond"] = "0",
            ["Dashboard:Enabled"] = "false",
        });
        await Wait.UntilAsync(async () => (await Health(silo)).GetProperty("mqtt").GetProperty("connected").GetBoolean(),
            TimeSpan.FromSeconds(30), "the silo to subscribe on mosquitto");

        var clock = Stopwatch.StartNew();
        var flood = Enumerable.Range(0, Publishers)
            .Select(p => OutsideClients.PahoFloodAsync(mosquitto.Port, qos, TimeSpan.FromSeconds(seconds), p, Publishers, messagesPerSecondEach)).ToArray();
        var sent = await Task.WhenAll(flood);
        var floodSeconds = clock.Elapsed.TotalSeconds;
        var published = sent.Sum(s => s.Messages);
        var appliedAtFloodEnd = (await Health(silo)).GetProperty("ingest").GetProperty("messagesApplied").GetInt64();

        await Wait.UntilAsync(async () =>
        {
            var ingest = (await Health(silo)).GetProperty("ingest");
            return ingest.GetProperty("messagesApplied").GetInt64() + ingest.GetProperty("droppedMessages").GetInt64() >= published;
        }, TimeSpan.FromMinutes(6), $"all {published} published messages applied or counted as dropped");
        var drainSeconds = clock.Elapsed.TotalSeconds - floodSeconds;

        var health = await Health(silo);
        var ingestNow = health.GetProperty("ingest");
        var applied = ingestNow.GetProperty("messagesApplied").GetInt64();
        var dropped = ingestNow.GetProperty("droppedMessages").GetInt64();
        var mqtt = health.GetProperty("mqtt");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"QoS {qos}: published {published} messages ({published * 100} readings) in {floodSeconds:F1} s = {published * 100 / floodSeconds:F0} readings/s offered; " +
            $"applied {appliedAtFloodEnd} by the flood's end = {appliedAtFloodEnd * 100 / floodSeconds:F0} readings/s; " +
            $"after a {drainSeconds:F1} s drain: applied {applied}, dropped {dropped}; disconnects {mqtt.GetProperty("disconnects").GetInt64()}"));

        Assert.True(mqtt.GetProperty("disconnects").GetInt64() == 0, $"the silo lost its connection: {mqtt}");
        // The same counts where an operator's Prometheus reads them.
        var metrics = await silo.Http.GetStringAsync("/metrics");
        Assert.Equal(0, Metric(metrics, "citysense_mqtt_disconnects"));
        Assert.Equal(ingestNow.GetProperty("droppedMessages").GetInt64(), Metric(metrics, "citysense_ingest_dropped_messages"));
        Assert.True(mqtt.GetProperty("connected").GetBoolean());
        Assert.Equal(published, applied + dropped);
        if (qos == 0)
        {
            // Past capacity is what this test is about: without drops the flood did not overload the silo.
            Assert.True(dropped > 0, $"no QoS 0 message was dropped: the flood ({published} messages) did not exceed the silo's capacity");
            Assert.Equal("degraded", health.GetProperty("status").GetString());
        }
        else
        {
            Assert.Equal(0, dropped);
            Assert.Equal(sent.Sum(s => s.Acked), applied);
            // More than Receive Maximum (2000) behind at the flood's end: the broker held a backlog, so this was overload.
            Assert.True(published - appliedAtFloodEnd > 2000, $"the silo kept up ({appliedAtFloodEnd} of {published} applied when the flood ended): no overload");
        }
    }

    /// <summary>The value of the first sample whose name starts with <paramref name="name"/> in Prometheus' text format.</summary>
    private static long Metric(string metrics, string name)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{name} is not in /metrics:\n{metrics}");
        return (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<JsonElement> Health(CitySenseInstance silo) => (await silo.GetJsonAsync("/health"))!.Value;
}
