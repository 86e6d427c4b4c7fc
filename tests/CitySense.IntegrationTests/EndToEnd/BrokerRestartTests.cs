using CitySense.IntegrationTests.Fixtures;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>The broker restarts under load: ingest reconnects, resumes its persistent session, and nothing is lost.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class BrokerRestartTests
{
    private const int Devices = 30;
    private const int Readings = 300;

    [Fact]
    public async Task A_broker_restart_under_load_loses_no_reading_and_counts_each_once()
    {
        await using var mosquitto = new MosquittoServer { Persistent = true };
        await mosquitto.StartAsync();
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "External",
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = mosquitto.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = "restart-silo",
        });
        await Wait.UntilAsync(async () => (await silo.GetJsonAsync("/health"))?.GetProperty("mqtt").GetProperty("connected").GetBoolean() == true,
            TimeSpan.FromSeconds(30), "the silo to subscribe");

        // A device-side publisher with at-least-once delivery: a publish that fails is sent again after reconnecting,
        // with the same seq and ts, so CitySense may see it twice and must count it once.
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mosquitto.Port).WithClientId("restart-publisher")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(5)).Build();
        await client.ConnectAsync(options);
        var start = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        for (var i = 0; i < Readings; i++)
        {
            if (i == Readings / 3)
            {
                await mosquitto.TerminateAsync();
                await mosquitto.StartAsync();
            }

            var device = i % Devices;
            var seq = i / Devices + 1;
            var message = new MqttApplicationMessageBuilder()
                .WithTopic($"city/rs-d/rs-c/env/rs-e{device:00}")
                .WithPayload($$"""{"ts":{{start + seq * 1000}},"seq":{{seq}},"temperature":{{20 + device}}}""")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            await PublishUntilAcknowledgedAsync(client, options, message);
        }

        try
        {
            await Wait.UntilAsync(async () => Accepted(await silo.GetJsonAsync("/api/districts/rs-d/communities/rs-c")) == Readings,
                TimeSpan.FromSeconds(60), $"all {Readings} readings counted");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Health: {await silo.Http.GetStringAsync("/health")} Rejections: {await silo.Http.GetStringAsync("/api/rejections")} Broker: {mosquitto.Output} Files: {string.Join(",", Directory.GetFiles(mosquitto.Folder))} Config: {File.ReadAllText(Path.Combine(mosquitto.Folder, "mosquitto.conf"))}");
        }
        var env = (await silo.GetJsonAsync("/api/districts/rs-d/communities/rs-c"))!.Value.GetProperty("kinds").EnumerateArray().Single();
        Assert.Equal(Readings, env.GetProperty("accepted").GetInt64());
        Assert.Equal(Devices, env.GetProperty("devicesReporting").GetInt64());
        // Whatever was delivered twice was counted once, as a duplicate.
        var health = (await silo.GetJsonAsync("/health"))!.Value.GetProperty("ingest");
        Assert.Equal(health.GetProperty("readingsApplied").GetInt64() - Readings, env.GetProperty("duplicates").GetInt64());
    }

    private static async Task PublishUntilAcknowledgedAsync(IMqttClient client, MqttClientOptions options, MqttApplicationMessage message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (!client.IsConnected)
                {
                    await client.ConnectAsync(options);
                }

                var result = await client.PublishAsync(message);
                if (result.IsSuccess)
                {
                    return;
                }
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // The broker is restarting: try again once it listens.
            }

            await Task.Delay(50);
        }
    }

    private static long Accepted(System.Text.Json.JsonElement? community) =>
        community?.GetProperty("kinds").EnumerateArray().Sum(k => k.GetProperty("accepted").GetInt64()) ?? -1;
}
