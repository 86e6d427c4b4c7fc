using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>Two silo processes form a cluster through a real Redis and share the ingest through mosquitto.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClusterTests
{
    [Fact]
    public async Task Two_silos_share_the_ingest_and_a_killed_silo_loses_no_queued_message()
    {
        await using var redis = new RedisServer();
        await redis.StartAsync();
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        string[] Settings(string id) =>
        [
            "--Orleans:Provider=Redis",
            $"--Orleans:Redis={redis.ConnectionString}",
            "--Orleans:ClusterId=test-cluster",
            // Find a dead silo in seconds, not the production default.
            "--Orleans:Membership:ProbeTimeout=00:00:01",
            "--Orleans:Membership:NumMissedProbesLimit=2",
            "--Orleans:Membership:NumVotesForDeathDeclaration=1",
            "--Mqtt:Mode=External",
            "--Mqtt:Host=127.0.0.1",
            $"--Mqtt:Port={mosquitto.Port}",
            $"--Mqtt:ClientId={id}",
            "--Mqtt:SharedGroup=citysense",
            "--Logging:LogLevel:Default=Warning",
        ];

        await using var first = await SiloProcess.StartAsync(Settings("silo-1"));
        await using var second = await SiloProcess.StartAsync(Settings("silo-2"));
        await Wait.UntilAsync(async () => (await first.GetJsonAsync("/api/cluster")).EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active") == 2,
            TimeSpan.FromSeconds(60), "two active silos");
        await Wait.UntilAsync(async () => (await second.GetJsonAsync("/health")).GetProperty("mqtt").GetProperty("connected").GetBoolean(), TimeSpan.FromSeconds(30), "silo 2 to subscribe");

        // 200 devices, one reading each: the shared subscription spreads them over both silos.
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "cluster-publisher"))
        {
            for (var i = 0; i < 200; i++)
            {
                await publisher.PublishAsync($"city/cl-d/cl-c/env/cl-e{i:000}", $$"""{"ts":{{ts}},"temperature":20}""");
            }
        }

        await Wait.UntilAsync(async () => await AppliedAsync(first) + await AppliedAsync(second) == 200, TimeSpan.FromSeconds(60), "200 messages applied across the cluster");
        Assert.True(await AppliedAsync(first) > 0 && await AppliedAsync(second) > 0, "both silos took a share of the ingest");
        // One city grain for the cluster: either silo's API shows all 200.
        await Wait.UntilAsync(async () => Accepted(await second.GetJsonAsync("/api/city")) == 200, TimeSpan.FromSeconds(30), "the city to count 200 readings");

        await second.KillAsync();
        await Wait.UntilAsync(async () => (await first.GetJsonAsync("/api/cluster")).EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active") == 1,
            TimeSpan.FromSeconds(60), "the killed silo to be declared dead");

        // The survivor takes over the grains; the broker keeps the killed member's share of the shared subscription in
        // its persistent session until a silo with that client id returns (as a restarted pod does): nothing is lost.
        var before = await AppliedAsync(first);
        await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "cluster-publisher-2"))
        {
            for (var i = 0; i < 200; i++)
            {
                await publisher.PublishAsync($"city/cl-d/cl-c/env/cl-e{i:000}", $$"""{"ts":{{ts + 60_000}},"temperature":21}""");
            }
        }

        await Wait.UntilAsync(async () => await AppliedAsync(first) > before, TimeSpan.FromSeconds(60), "the survivor to apply its share");
        await using var restarted = await SiloProcess.StartAsync(Settings("silo-2"));
        await Wait.UntilAsync(async () => await AppliedAsync(first) - before + await AppliedAsync(restarted) == 200, TimeSpan.FromSeconds(90),
            "all 200 new readings applied once the killed member's session is taken up again");
        await Wait.UntilAsync(async () => (await first.GetJsonAsync("/api/devices/cl-e007")).GetProperty("lastTimestampMs").GetInt64() == ts + 60_000,
            TimeSpan.FromSeconds(30), "the device to show its newest reading");
    }

    private static async Task<long> AppliedAsync(SiloProcess silo) =>
        (await silo.GetJsonAsync("/health")).GetProperty("ingest").GetProperty("messagesApplied").GetInt64();

    private static long Accepted(System.Text.Json.JsonElement city) =>
        city.GetProperty("kinds").EnumerateArray().Where(k => k.GetProperty("kind").GetString() == "env").Sum(k => k.GetProperty("accepted").GetInt64());
}
