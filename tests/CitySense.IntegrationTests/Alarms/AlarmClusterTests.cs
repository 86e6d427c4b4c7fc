using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using CitySense.IntegrationTests.Live;
using Xunit;

namespace CitySense.IntegrationTests.Alarms;

/// <summary>No alarm lost to a subscriber: alarms raised and acknowledged while one of two silos is killed with SIGKILL.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AlarmClusterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Key = "alarm-cluster-key-0123456789";

    [Fact]
    public async Task Alarms_raised_and_acknowledged_while_a_silo_is_killed_reach_mqtt_and_the_snapshot_of_a_reconnecting_subscriber()
    {
        await using var redis = new RedisServer();
        await redis.StartAsync();
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        string[] Settings(string id) =>
        [
            "--Orleans:Provider=Redis",
            $"--Orleans:Redis={redis.ConnectionString}",
            "--Orleans:ClusterId=alarm-cluster",
            "--Orleans:Membership:ProbeTimeout=00:00:01",
            "--Orleans:Membership:NumMissedProbesLimit=2",
            "--Orleans:Membership:NumVotesForDeathDeclaration=1",
            "--Mqtt:Mode=External",
            "--Mqtt:Host=127.0.0.1",
            $"--Mqtt:Port={mosquitto.Port}",
            $"--Mqtt:ClientId={id}",
            "--Mqtt:SharedGroup=citysense",
            "--Logging:LogLevel:Default=Warning",
            $"--Api:Keys:0:Key={Key}",
            "--Api:Keys:0:Name=ops-cluster",
            "--Api:Keys:0:Scopes:0=read",
            "--Api:Keys:0:Scopes:1=operate",
        ];

        await using var first = await SiloProcess.StartAsync(Settings("alarm-1"));
        var second = await SiloProcess.StartAsync(Settings("alarm-2"));
        SiloProcess? restarted = null;
        first.Http.DefaultRequestHeaders.Add("X-Api-Key", Key);
        try
        {
            await Wait.UntilAsync(async () => (await first.GetJsonAsync("/api/cluster")).EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active") == 2,
                TimeSpan.FromSeconds(60), "two active silos");
            await using var mqtt = await AlarmSubscriber.ConnectAsync(mosquitto.Port);
            var communities = Enumerable.Range(0, 6).Select(i => (District: $"ad{i % 2}", Community: $"ac{i}")).ToArray();
            var ts = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
            await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "alarm-publisher"))
            {
                foreach (var (district, community) in communities)
                {
                    await publisher.PublishAsync($"city/{district}/{community}/water/{community}-w", $$"""{"ts":{{ts}},"total":10,"flow":0.2,"pressure":0.05}""");
                }
            }

            foreach (var (district, community) in communities)
            {
                await Wait.UntilAsync(() => OpenAsync(first, district, community), o => o.Length == 1, TimeSpan.FromSeconds(60), $"the pressure alarm of {community}");
            }

            // While silo 2 dies: a critical gas leak in every community, and an operator acknowledges every pressure alarm
            // (an action the dying silo cannot take is tried again, as an operator would).
            await second.KillAsync();
            await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "alarm-publisher-2"))
            {
                foreach (var (district, community) in communities)
                {
                    await publisher.PublishAsync($"city/{district}/{community}/gasleak/{community}-g", $$"""{"ts":{{ts}},"lel":30}""");
                }
            }

            foreach (var (district, community) in communities)
            {
                var pressure = $"{community}-w/pressure-low/{ts}";
                await Wait.UntilAsync(async () => await AcknowledgeAsync(first, district, community, pressure), TimeSpan.FromSeconds(90), $"{pressure} acknowledged");
            }

            await Wait.UntilAsync(async () => (await first.GetJsonAsync("/api/cluster")).EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active") == 1,
                TimeSpan.FromSeconds(60), "the killed silo to be declared dead");
            // The killed member's share of the readings waits in its broker session until a silo takes up its client id.
            restarted = await SiloProcess.StartAsync(Settings("alarm-2"));

            var open = new List<JsonElement>();
            foreach (var (district, community) in communities)
            {
                open.AddRange(await Wait.UntilAsync(() => OpenAsync(first, district, community),
                    o => o.Length == 2 && o.Any(a => a.GetProperty("status").GetProperty("condition").GetString() == "ActiveAcknowledged"),
                    TimeSpan.FromSeconds(90), $"the gas leak and the acknowledged pressure alarm of {community}"));
            }

            var expected = open.Select(a => (Id: a.GetProperty("alarm").GetProperty("alarmId").GetString()!, Version: a.GetProperty("status").GetProperty("version").GetInt64())).ToArray();
            output.WriteLine(string.Join(", ", expected));

            // MQTT subscribers of the city's alarms got every alarm as it now stands.
            await Wait.UntilAsync(() => Task.FromResult(expected.All(e => mqtt.Messages.Any(m => Id(m) == e.Id && Version(m) == e.Version))), TimeSpan.FromSeconds(60),
                "every alarm's current version on MQTT; missing " + string.Join(", ", expected.Where(e => !mqtt.Messages.Any(m => Id(m) == e.Id && Version(m) == e.Version))));

            // A subscriber reconnecting to either silo gets, in its snapshot, the alarms of the areas that silo now holds:
            // together, every alarm at its current version.
            await Wait.UntilAsync(async () =>
            {
                var snapshot = (await SnapshotAsync(first)).Concat(await SnapshotAsync(restarted)).ToArray();
                return expected.All(e => snapshot.Any(a => Id(a, inSnapshot: true) == e.Id && a.GetProperty("workflow").GetProperty("version").GetInt64() == e.Version));
            }, TimeSpan.FromSeconds(60), "every alarm in the snapshots of reconnecting subscribers");
        }
        catch
        {
            output.WriteLine(first.Output);
            throw;
        }
        finally
        {
            await second.DisposeAsync();
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }
    }

    private static async Task<JsonElement[]> OpenAsync(SiloProcess silo, string district, string community) =>
        (await silo.GetJsonAsync($"/api/districts/{district}/communities/{community}/alarms")).GetProperty("open").EnumerateArray().ToArray();

    private static async Task<bool> AcknowledgeAsync(SiloProcess silo, string district, string community, string alarmId)
    {
        try
        {
            var response = await silo.Http.PostAsJsonAsync($"/api/districts/{district}/communities/{community}/alarms/{alarmId}/acknowledge", new { comment = "during the failure" });
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<JsonElement[]> SnapshotAsync(SiloProcess silo)
    {
        await using var sse = await SseTestClient.ConnectAsync(silo.Http.BaseAddress!.Port, string.Empty, Key);
        var snapshot = await Wait.UntilAsync(() => Task.FromResult(sse.Received), r => r.Count >= 1, TimeSpan.FromSeconds(20), "a snapshot");
        return snapshot[0].Body.GetProperty("alarms").EnumerateArray().ToArray();
    }

    private static string? Id(JsonElement message, bool inSnapshot = false) =>
        (inSnapshot ? message : message.GetProperty("alarm")).GetProperty("alarmId").GetString();

    private static long Version(JsonElement message) => message.GetProperty("workflow").GetProperty("version").GetInt64();
}
