using System.Globalization;
using CitySense.IntegrationTests.Edge;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using MQTTnet;
using Xunit;

namespace CitySense.IntegrationTests.Security;

/// <summary>The embedded broker with a credentials file: who gets in, and where they may publish and subscribe.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class EmbeddedBrokerAuthenticationTests
{
    private const string W1Topic = "city/sec/c1/water/sec-w1";
    private const string W2Topic = "city/sec/c1/water/sec-w2";
    private const string GatewayTopic = "city/sec/c1/gateway/sec-gw1";

    [Fact]
    public async Task Only_devices_with_their_secret_get_in_and_each_publishes_only_to_its_own_topic()
    {
        using var credentials = new TestCredentials()
            .Add("sec-w1", W1Topic, "w1-secret")
            .Add("sec-w2", W2Topic, "w2-secret")
            .Add("sec-gw1", GatewayTopic, "gw-secret");
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Mqtt:CredentialsFile"] = credentials.Path });
        var ts = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await MqttConnect.TryAsync(silo.MqttPort, "sec-w1", user: null, password: null));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await MqttConnect.TryAsync(silo.MqttPort, "sec-w1", "sec-w1", "w2-secret"));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await MqttConnect.TryAsync(silo.MqttPort, "sec-w9", "sec-w9", "w1-secret"));
        // Its own secret, but the client id of another device: it would take over that device's session.
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await MqttConnect.TryAsync(silo.MqttPort, "sec-w2", "sec-w1", "w1-secret"));

        await using (var w1 = await Publisher.ConnectAsync(silo.MqttPort, "sec-w1", b => b.WithCredentials("sec-w1", "w1-secret")))
        {
            Assert.True(Succeeded(await w1.PublishAsync(W1Topic, Reading(ts, 10))));
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await w1.PublishAsync(W2Topic, Reading(ts, 99)));
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await w1.PublishAsync("city/sec/c1/gateway/sec-w1", GatewayReading("sec-w2", ts, 99)));
            Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await w1.SubscribeAsync("city/#"));
            Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await w1.SubscribeAsync(W2Topic));
        }

        await using (var gateway = await Publisher.ConnectAsync(silo.MqttPort, "sec-gw1", b => b.WithCredentials("sec-gw1", "gw-secret")))
        {
            Assert.True(Succeeded(await gateway.PublishAsync(GatewayTopic, GatewayReading("sec-w3", ts, 5))));
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await gateway.PublishAsync("city/sec/c2/gateway/sec-gw1", GatewayReading("sec-w4", ts, 5)));
        }

        // QoS 1 on the embedded broker acknowledges after the readings are applied, so the API already shows them.
        Assert.Equal(1, (await silo.GetJsonAsync("/api/devices/sec-w1"))!.Value.GetProperty("accepted").GetInt64());
        Assert.Equal(1, (await silo.GetJsonAsync("/api/devices/sec-w3"))!.Value.GetProperty("accepted").GetInt64());
        Assert.Null(await silo.GetJsonAsync("/api/devices/sec-w2"));
        Assert.Null(await silo.GetJsonAsync("/api/devices/sec-w4"));

        var response = await silo.Http.GetStringAsync("/api/security");
        var security = (await silo.GetJsonAsync("/api/security"))!.Value;
        Assert.Equal("credentials-file", security.GetProperty("authentication").GetString());
        Assert.Equal(3, security.GetProperty("credentials").GetInt32());
        var refused = security.GetProperty("refused");
        Assert.Equal(1, refused.GetProperty("missing-credentials").GetInt64());
        Assert.Equal(1, refused.GetProperty("bad-secret").GetInt64());
        Assert.Equal(1, refused.GetProperty("unknown-user").GetInt64());
        Assert.Equal(1, refused.GetProperty("client-id-not-owned").GetInt64());
        Assert.Equal(3, refused.GetProperty("publish-denied").GetInt64());
        Assert.Equal(2, refused.GetProperty("subscribe-denied").GetInt64());
        Assert.Equal(9, security.GetProperty("refusedTotal").GetInt64());
        foreach (var secret in (string[])["w1-secret", "w2-secret", "gw-secret"])
        {
            Assert.DoesNotContain(secret, response, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_device_that_sends_no_client_id_is_named_after_its_user_over_MQTT_3_1_1_and_5()
    {
        using var credentials = new TestCredentials()
            .Add("nid-w1", "city/nid/c1/water/nid-w1", "w1-secret")
            .Add("nid-w2", "city/nid/c1/water/nid-w2", "w2-secret");
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Mqtt:CredentialsFile"] = credentials.Path });
        var ts = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();

        // Debian's mosquitto_pub sends no client id unless given -i: the broker assigns the user name, which the client
        // id check then accepts (over 3.1.1 MQTTnet alone refuses an empty id: "identifier rejected").
        await OutsideClients.MosquittoPubAsync(silo.MqttPort, "city/nid/c1/water/nid-w1", Reading(ts, 10), version: "mqttv311", user: "nid-w1", password: "w1-secret");
        await OutsideClients.MosquittoPubAsync(silo.MqttPort, "city/nid/c1/water/nid-w2", Reading(ts, 20), version: "mqttv5", user: "nid-w2", password: "w2-secret");
        // The assigned id gives no more than the user has: its own topic only (a 3.1.1 publisher cannot be told; the
        // broker counts the refusal).
        await OutsideClients.MosquittoPubAsync(silo.MqttPort, "city/nid/c1/water/nid-w2", Reading(ts + 1000, 99), version: "mqttv311", user: "nid-w1", password: "w1-secret");

        // QoS 1 on the embedded broker acknowledges after the readings are applied, so the API already shows them.
        Assert.Equal(1, (await silo.GetJsonAsync("/api/devices/nid-w1"))!.Value.GetProperty("accepted").GetInt64());
        Assert.Equal(1, (await silo.GetJsonAsync("/api/devices/nid-w2"))!.Value.GetProperty("accepted").GetInt64());
        var refused = (await silo.GetJsonAsync("/api/security"))!.Value.GetProperty("refused");
        Assert.Equal(1, refused.GetProperty("publish-denied").GetInt64());
    }

    [Fact]
    public async Task Without_a_credentials_file_the_loopback_broker_is_open_and_says_so()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());

        await using var anyone = await Publisher.ConnectAsync(silo.MqttPort, "anyone");
        Assert.True(Succeeded(await anyone.PublishAsync("city/open/c1/water/open-w1", Reading(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), 1))));

        var security = (await silo.GetJsonAsync("/api/security"))!.Value;
        Assert.Equal("off", security.GetProperty("authentication").GetString());
        Assert.Equal("127.0.0.1", security.GetProperty("bindAddress").GetString());
        Assert.Equal(1, (await silo.GetJsonAsync("/api/devices/open-w1"))!.Value.GetProperty("accepted").GetInt64());
    }

    private static bool Succeeded(MqttClientPublishReasonCode code) =>
        code is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers;

    private static string Reading(long ts, double total) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts}},"total":{{total}}}""");

    private static string GatewayReading(string device, long ts, double total) =>
        string.Create(CultureInfo.InvariantCulture, $$"""[{"device":"{{device}}","kind":"water","ts":{{ts}},"total":{{total}}}]""");
}
