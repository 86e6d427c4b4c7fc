using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Ngsi;

/// <summary>Two silo processes on Redis behind one mosquitto: each silo matches the communities it holds, once.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SubscriptionClusterTests
{
    private const string Key = "ngsi-cluster-key-0123456789";

    [Fact]
    public async Task In_a_two_silo_cluster_every_reading_is_notified_once_per_subscription_not_once_per_silo()
    {
        await using var redis = new RedisServer();
        await redis.StartAsync();
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        await using var receiver = await WebhookReceiver.StartNewAsync();
        string[] Settings(string id) =>
        [
            "--Orleans:Provider=Redis",
            $"--Orleans:Redis={redis.ConnectionString}",
            "--Orleans:ClusterId=ngsi-cluster",
            "--Mqtt:Mode=External",
            "--Mqtt:Host=127.0.0.1",
            $"--Mqtt:Port={mosquitto.Port}",
            $"--Mqtt:ClientId={id}",
            "--Mqtt:SharedGroup=citysense",
            "--Logging:LogLevel:Default=Warning",
            $"--Api:Keys:0:Key={Key}",
            "--Api:Keys:0:Name=ngsi-cluster",
            "--Api:Keys:0:Scopes:0=read",
            "--Api:Keys:0:Scopes:1=operate",
        ];

        await using var first = await SiloProcess.StartAsync(Settings("ngsi-1"));
        await using var second = await SiloProcess.StartAsync(Settings("ngsi-2"));
        SiloProcess[] silos = [first, second];
        foreach (var silo in silos)
        {
            silo.Http.DefaultRequestHeaders.Add("X-Api-Key", Key);
        }

        await Wait.UntilAsync(async () => (await first.GetJsonAsync("/api/cluster")).EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active") == 2,
            TimeSpan.FromSeconds(60), "two active silos");

        // Twelve communities in twelve districts, so that both silos hold some (a district and its communities live on
        // the silo that owns the district, by a hash of the district against the silos' addresses, which change with
        // every run: all twelve on one, 1 in 2 048); one subscription for all their meters.
        var meters = Enumerable.Range(0, 12).Select(i => (District: $"nd{i}", Community: $"nc{i}", Device: $"nc{i}-w")).ToArray();
        var entities = string.Join(',', meters.Select(m => $$"""{"type": "WaterConsumptionObserved", "id": "{{Subscriptions.WaterMeterId(m.Device)}}"}"""));
        var location = await Subscriptions.CreateAsync(first.Http, $$$"""
            {"type": "Subscription", "entities": [{{{entities}}}], "notification": {"endpoint": {"uri": "{{{receiver.Uri}}}"} } }
            """);
        // The silo that took the POST knows it at once; the other one within its next poll (1 s): wait for both, no sleep.
        foreach (var silo in silos)
        {
            await Wait.UntilAsync(async () => (await silo.Http.GetStringAsync("/metrics")).Contains("citysense_ngsi_subscriptions{otel_scope_name=\"CitySense.Subscriptions\"} 1", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "each silo's matcher to hold the subscription");
        }

        var ts = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds();
        await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "ngsi-cluster-publisher"))
        {
            for (var r = 0; r < 3; r++)
            {
                foreach (var (district, community, device) in meters)
                {
                    await Subscriptions.PublishWaterAsync(publisher, district, community, device, ts + (r * 60_000L), 10m + r);
                }
            }
        }

        await Wait.UntilAsync(() => Task.FromResult(Subscriptions.Registers(receiver).Count >= meters.Length * 3), TimeSpan.FromSeconds(60), "every reading notified");
        // Each silo matched the communities it holds, and the two together each reading once: with twelve districts
        // spread over the silos, both hold some (all on one: 1 in 2 048), else this would not tell once from once per silo.
        var matched = await Task.WhenAll(silos.Select(async s => Counter(await s.Http.GetStringAsync("/metrics"), "citysense_ngsi_changes_matched_total")));
        Assert.All(matched, m => Assert.True(m > 0, $"changes matched per silo: {string.Join(", ", matched)}"));
        Assert.Equal(meters.Length * 3, matched.Sum());
        // Nothing queued is left to come twice: the receiver holds all the subscription will send for these readings.
        await Wait.UntilAsync(async () => (await Subscriptions.NotificationStatusAsync(first.Http, location)).GetProperty("pending").GetInt32() == 0,
            TimeSpan.FromSeconds(30), "the subscription's queue to be empty");
        var registers = Subscriptions.Registers(receiver);
        Assert.Equal(meters.Length * 3, registers.Count);
        Assert.Equal(meters.Length * 3, registers.Select(r => (r.Id, r.Register)).Distinct().Count());
    }

    private static long Counter(string metrics, string name) => metrics.Split('\n')
        .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
        .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
