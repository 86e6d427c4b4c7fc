using System.Text.Json;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Edge;

/// <summary>
/// A device that publishes one bad message at QoS 1 gets its PUBACK at once, with the reason (MQTT 5), and its next
/// valid reading on the same connection is acknowledged and applied: one firmware typo silences nobody. Driven by
/// Debian's paho-mqtt over MQTT 5 and 3.1.1, for every rejection reason of docs/telemetry.md §8.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PoisonMessageTests
{
    private static readonly TimeSpan AckWithin = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Every_refused_message_on_the_embedded_broker_is_acknowledged_with_its_reason_and_the_next_reading_is_applied()
    {
        await using var silo = await CitySenseInstance.StartAsync(Limited(new Dictionary<string, string?>()));
        await CheckEveryReasonAsync(silo, silo.MqttPort, embedded: true);
    }

    [Fact]
    public async Task Every_refused_message_through_mosquitto_leaves_the_silo_taking_the_next_reading()
    {
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        await using var silo = await CitySenseInstance.StartAsync(Limited(new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "External",
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = mosquitto.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = "poison-ext",
        }));
        await Wait.UntilAsync(async () => (await silo.GetJsonAsync("/health"))?.GetProperty("mqtt").GetProperty("connected").GetBoolean() == true,
            TimeSpan.FromSeconds(30), "the silo to subscribe on mosquitto");
        await CheckEveryReasonAsync(silo, mosquitto.Port, embedded: false);
    }

    [Fact]
    public async Task A_QoS_2_publish_is_taken_like_QoS_1_over_MQTT_5_and_3_1_1_with_no_client_id()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // mosquitto_pub exits 0 only once the QoS 2 exchange (PUBREC, PUBREL, PUBCOMP) completed. It sends no client id
        // (its default, over both versions): the broker assigns one, over 3.1.1 before MQTTnet sees the CONNECT
        // (ClientIdAssigningChannel; MQTTnet.Server alone refuses it with "identifier rejected").
        await OutsideClients.MosquittoPubAsync(silo.MqttPort, "city/q2-d/q2-c/water/q2-v5", $$"""{"ts":{{now}},"total":3.25}""", qos: 2);
        await OutsideClients.MosquittoPubAsync(silo.MqttPort, "city/q2-d/q2-c/water/q2-v311", $$"""{"ts":{{now}},"total":4.5}""", qos: 2, version: "mqttv311");
        await OutsideClients.MosquittoPubAsync(silo.MqttPort, "city/q2-d/q2-c/water/q2-v311-q1", $$"""{"ts":{{now}},"total":5.5}""", qos: 1, version: "mqttv311");

        await WaitForDeviceAsync(silo, "q2-v5");
        await WaitForDeviceAsync(silo, "q2-v311");
        await WaitForDeviceAsync(silo, "q2-v311-q1");
    }

    private static async Task CheckEveryReasonAsync(CitySenseInstance silo, int port, bool embedded)
    {
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var protocol in new[] { "5", "311" })
        {
            var tag = $"{(embedded ? "e" : "x")}{protocol}";
            // What three of the poisons need first, published with mosquitto_pub: a device reporting in pz-c (so that
            // reporting it elsewhere is refused), a decommissioned device, and a topic whose burst of 1 is spent.
            var registered = $"pz-{tag}-registered";
            var decommissioned = $"pz-{tag}-retired";
            var limited = $"city/pz-d/pz-c/water/pz-{tag}-limited";
            // Through a gateway topic, so the two devices' own topics keep their burst of 1 for the poisons.
            await OutsideClients.MosquittoPubAsync(port, $"city/pz-d/pz-c/gateway/pz-{tag}-setup",
                $$"""[{"device":"{{registered}}","kind":"water","ts":{{nowMs - 1000}},"total":1},{"device":"{{decommissioned}}","kind":"water","ts":{{nowMs - 1000}},"total":1}]""");
            await OutsideClients.MosquittoPubAsync(port, limited, $$"""{"ts":{{nowMs - 1000}},"total":1}""");
            await WaitForDeviceAsync(silo, registered);
            await WaitForDeviceAsync(silo, decommissioned);
            (await silo.Http.DeleteAsync($"/api/registry/devices/{decommissioned}")).EnsureSuccessStatusCode();

            var cases = PoisonCases.For(tag, nowMs, limited, decommissioned, registered);
            var results = await OutsideClients.PahoPoisonAsync(port, protocol, cases);
            Assert.Equal(cases.Count, results.Count);
            foreach (var (@case, result) in cases.Zip(results))
            {
                var what = $"{@case.Name} over MQTT {protocol} ({(embedded ? "embedded broker" : "mosquitto")}): {result}";
                var poison = result.GetProperty("poison");
                var valid = result.GetProperty("valid");
                Assert.True(poison.GetProperty("acked").GetBoolean(), $"poison not acknowledged: {what}");
                Assert.True(valid.GetProperty("acked").GetBoolean(), $"valid reading after the poison not acknowledged: {what}");
                Assert.True(poison.GetProperty("seconds").GetDouble() <= AckWithin.TotalSeconds, $"poison acknowledged late: {what}");
                Assert.True(valid.GetProperty("seconds").GetDouble() <= AckWithin.TotalSeconds, $"valid reading acknowledged late: {what}");
                if (embedded && protocol == "5")
                {
                    var code = poison.GetProperty("code").GetInt32();
                    if (@case.Mqtt5Code is { } expected)
                    {
                        Assert.True(expected == code, $"PUBACK 0x{code:X2}, expected 0x{expected:X2}: {what}");
                        Assert.Contains("rejected:", poison.GetProperty("reason").GetString(), StringComparison.Ordinal);
                    }
                    else
                    {
                        Assert.True(code < 0x80, $"PUBACK 0x{code:X2}, expected success (decided by the device's state): {what}");
                    }

                    Assert.True(valid.GetProperty("code").GetInt32() < 0x80, $"valid reading's PUBACK is a failure: {what}");
                }
            }

            foreach (var @case in cases)
            {
                await WaitForDeviceAsync(silo, @case.ValidDevice);
            }
        }

        // The refusals are counted where operators look.
        var rejections = (await silo.GetJsonAsync("/api/rejections"))!.Value.ToString();
        foreach (var reason in new[] { "unknown-topic", "invalid-id", "payload-too-large", "not-json", "bad-encoding", "too-many-readings", "rate-limited", "register-out-of-range", "device-registered-elsewhere", "device-decommissioned" })
        {
            Assert.True(rejections.Contains($"\"{reason}\"", StringComparison.Ordinal), $"{reason} not counted in GET /api/rejections: {rejections}");
        }
    }

    /// <summary>A device burst of 1 makes the rate-limited case one message away; every other topic is used once.</summary>
    private static Dictionary<string, string?> Limited(Dictionary<string, string?> settings)
    {
        settings["Ingest:DeviceRateLimit:MessagesPerSecond"] = "0.001";
        settings["Ingest:DeviceRateLimit:Burst"] = "1";
        return settings;
    }

    private static Task WaitForDeviceAsync(CitySenseInstance silo, string device) => Wait.UntilAsync(
        async () => await silo.GetJsonAsync($"/api/devices/{device}") is JsonElement,
        TimeSpan.FromSeconds(20), $"device {device} in the API");
}
