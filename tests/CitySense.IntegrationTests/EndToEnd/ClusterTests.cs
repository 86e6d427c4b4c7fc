using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>Two silo processes form a cluster through a real Redis and share the ingest through mosquitto.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClusterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Two_silos_share_the_ingest_and_a_killed_silo_loses_no_queued_message()
    {
        await using var redis = new RedisServer();
        await redis.StartAsync();
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        string[] Settings(string id) => ClusterSettings(redis, mosquitto, "test-cluster", id);

        await using var first = await SiloProcess.StartAsync(Settings("silo-1"));
        await using var second = await SiloProcess.StartAsync(Settings("silo-2"));
        await WaitForClusterAsync(first, second);

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

    /// <summary>
    /// The issue's fault test: 60 water meters in 6 communities and 2 districts publish 40 QoS 1 readings each while one
    /// of two silos is killed with SIGKILL and later restarted. Every level must end with exactly what the registers
    /// moved: a reading lost would leave a total short (until a later reading of its meter, which the test does not
    /// send for the last ones), one counted twice would leave it over. Poison messages go in among the readings.
    /// </summary>
    [Fact]
    public async Task A_silo_killed_under_load_loses_no_reading_and_counts_none_twice()
    {
        await using var redis = new RedisServer();
        await redis.StartAsync();
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        string[] Settings(string id) => ClusterSettings(redis, mosquitto, "kill-cluster", id,
            "--Ingest:DeviceRateLimit:MessagesPerSecond=0",
            // Small batches: many batch boundaries (and stored states) for the kill to fall between.
            "--Ingest:MaxBatchReadings=16",
            // History pushed at every flush, so pushes fall before, across and after the kill.
            "--History:PushInterval=00:00:01");

        await using var first = await SiloProcess.StartAsync(Settings("kill-1"));
        var second = await SiloProcess.StartAsync(Settings("kill-2"));
        await using var restarted = new SiloHandle();
        try
        {
            await WaitForClusterAsync(first, second);

            const int steps = 40;
            var devices = Enumerable.Range(0, 60).Select(i => (District: $"kd{i % 2}", Community: $"kc{i % 6}", Device: $"kw{i:00}")).ToArray();
            var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - steps * 5_000 - 10_000;
            var registers = devices.ToDictionary(d => d.Device, d => 1000m + d.Device[^1]);
            var firstRegister = new Dictionary<string, decimal>(registers);
            await using (var publisher = await Publisher.ConnectAsync(mosquitto.Port, "kill-publisher"))
            {
                for (var step = 0; step < steps; step++)
                {
                    if (step == steps / 3)
                    {
                        output.WriteLine((await first.GetJsonAsync("/api/cluster")).ToString());
                        await second.KillAsync();
                    }

                    foreach (var (district, community, device) in devices)
                    {
                        // Irregular litres; a reading every 5 s of event time per meter.
                        registers[device] += step == 0 ? 0 : 0.001m * ((step * 7 + device[^1]) % 13);
                        var ts = start + step * 5_000;
                        var code = await publisher.PublishAsync($"city/{district}/{community}/water/{device}",
                            $$"""{"ts":{{ts}},"total":{{registers[device].ToString(System.Globalization.CultureInfo.InvariantCulture)}},"flow":{{FlowAt(step, device).ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");
                        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, code);
                    }

                    if (step % 10 == 5)
                    {
                        // Poison among the readings: refused and counted, and the readings behind it still all count.
                        var (district, community, device) = devices[step];
                        await publisher.PublishAsync($"city/{district}/{community}/water/{device}", "{not json");
                        await publisher.PublishBytesAsync($"city/{district}/{community}/water/{device}", [0xff, 0xfe, 0x00, 0x7b]);
                        await publisher.PublishAsync($"city/{district}/{community}/water/{device}", $$"""{"ts":{{start + step * 5_000 + 1}},"total":-5}""");
                    }

                    // The publisher's pace (20 rounds a second), not a wait for anything: load that lasts, so the kill
                    // falls among batches in flight, not after them.
                    await Task.Delay(50);
                }
            }

            // The killed member's share waits in its session at the broker until a silo takes up its client id again.
            restarted.Silo = await SiloProcess.StartAsync(Settings("kill-2"));

            output.WriteLine((await first.GetJsonAsync("/api/cluster")).ToString());
            var moved = devices.ToDictionary(d => d.Device, d => registers[d.Device] - firstRegister[d.Device]);
            var total = moved.Values.Sum();
            await Wait.UntilAsync(async () => Consumption(await first.GetJsonAsync("/api/city")) == total, TimeSpan.FromSeconds(120),
                $"the city to count {total} m³");
            // 4 rounds of 3 poison messages, refused and counted (a batch redelivered after the kill may count one again).
            var rejected = (await first.GetJsonAsync("/api/city")).GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "water").GetProperty("rejected").GetInt64();
            Assert.True(rejected >= 12, $"{rejected} poison messages counted, expected at least 12");
            foreach (var district in devices.GroupBy(d => d.District))
            {
                Assert.Equal(district.Sum(d => moved[d.Device]), Consumption(await first.GetJsonAsync($"/api/districts/{district.Key}")));
            }

            foreach (var community in devices.GroupBy(d => (d.District, d.Community)))
            {
                Assert.Equal(community.Sum(d => moved[d.Device]),
                    Consumption(await first.GetJsonAsync($"/api/districts/{community.Key.District}/communities/{community.Key.Community}")));
            }

            foreach (var (_, _, device) in devices)
            {
                Assert.Equal(moved[device], (await first.GetJsonAsync($"/api/devices/{device}")).GetProperty("consumption").GetDecimal());
            }

            // Flow sums hold every meter's latest flow exactly once, whatever was lost or redelivered.
            var flowSum = devices.Sum(d => FlowAt(steps - 1, d.Device));
            var cityFlow = (await first.GetJsonAsync("/api/city")).GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "water").GetProperty("flowSum").GetDouble();
            Assert.Equal(flowSum, cityFlow, 6);

            // History in Redis counts the same, once: each community's days, the city's hours, a meter's days.
            foreach (var community in devices.GroupBy(d => (d.District, d.Community)))
            {
                var days = await first.GetJsonAsync($"/api/districts/{community.Key.District}/communities/{community.Key.Community}/history?kind=water&step=1d");
                Assert.Equal(community.Sum(d => moved[d.Device]), days.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("consumption").GetDecimal()));
            }

            var hours = await first.GetJsonAsync("/api/city/history?kind=water&step=1h");
            Assert.Equal(total, hours.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("consumption").GetDecimal()));
            foreach (var (_, _, device) in devices.Take(6))
            {
                var meter = await first.GetJsonAsync($"/api/devices/{device}/history");
                Assert.Equal(moved[device], meter.GetProperty("days").EnumerateArray().Sum(p => p.GetProperty("consumption").GetDecimal()));
            }
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    /// <summary>
    /// Issue 16, target 4: a silo that joins takes over the device shards and districts it owns (they move to it once
    /// idle), and from then on each silo sends the other only its share of a batch, once per phase, rather than a call
    /// per grain the batch touches. 40 water meters in 4 districts report through gateways, first to one silo, then to
    /// two. Every level still counts exactly what the registers moved, and Orleans' own count of messages between the
    /// silos stays a small fraction of the readings (with <c>Ingest:RouteByOwner=false</c> it is several times more).
    /// </summary>
    [Fact]
    public async Task A_joining_silo_takes_over_what_it_owns_and_batches_cross_silos_once_per_phase()
    {
        await using var redis = new RedisServer();
        await redis.StartAsync();
        await using var mosquitto = new MosquittoServer();
        await mosquitto.StartAsync();
        const int PerMessage = 10;
        // CITYSENSE_TEST_ROUTE_BY_OWNER=false runs the old routing, to see this test fail on it.
        var routeByOwner = Environment.GetEnvironmentVariable("CITYSENSE_TEST_ROUTE_BY_OWNER") ?? "true";
        // Without the live streams: their queues are grains placed at random, so what they send between the silos
        // changes from run to run (measured apart in benchmarks/cluster-compare.sh).
        string[] Settings(string id) => ClusterSettings(redis, mosquitto, "owner-cluster", id, "--Ingest:DeviceRateLimit:MessagesPerSecond=0",
            $"--Ingest:RouteByOwner={routeByOwner}", "--Live:Streams=false");

        var devices = Enumerable.Range(0, 40).Select(i => (District: $"od{i % 4}", Community: $"oc{i % 8}", Device: $"ow{i:00}")).ToArray();
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
        var registers = devices.ToDictionary(d => d.Device, d => 500m + d.Device[^1]);
        var firstRegister = new Dictionary<string, decimal>(registers);
        var step = 0;
        async Task RoundAsync(Publisher publisher)
        {
            foreach (var community in devices.GroupBy(d => (d.District, d.Community)))
            {
                // Ten readings per meter and message, a second apart: batches of a few hundred readings.
                var readings = community.SelectMany(d => Enumerable.Range(0, PerMessage).Select(k =>
                {
                    registers[d.Device] += step == 0 && k == 0 ? 0 : 0.001m * ((step * 3 + k + d.Device[^1]) % 7);
                    return $$"""{"device":"{{d.Device}}","kind":"water","ts":{{start + step * 10_000 + k * 1_000}},"total":{{registers[d.Device].ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""";
                }));
                await publisher.PublishAsync($"city/{community.Key.District}/{community.Key.Community}/gateway/og-{community.Key.Community}", $"[{string.Join(',', readings)}]");
            }

            step++;
        }

        await using var first = await SiloProcess.StartAsync(Settings("owner-1"));
        await Wait.UntilAsync(async () => (await first.GetJsonAsync("/health")).GetProperty("mqtt").GetProperty("connected").GetBoolean(), TimeSpan.FromSeconds(30), "silo 1 to subscribe");
        await using var publisher = await Publisher.ConnectAsync(mosquitto.Port, "owner-publisher");
        for (var r = 0; r < 5; r++)
        {
            await RoundAsync(publisher);
        }

        await Wait.UntilAsync(async () => await AppliedAsync(first) == 5 * 8, TimeSpan.FromSeconds(60), "silo 1 to apply the first rounds alone");

        // Readings keep coming while the second silo joins, as in a city: a grain asked on a batch in the moment the new
        // silo is active but its grain types not yet known must stay, and move on a later batch once they are.
        var published = 5;
        var starting = SiloProcess.StartAsync(Settings("owner-2"));
        while (!starting.IsCompleted)
        {
            await RoundAsync(publisher);
            published++;
            // Paced by the first silo applying each round; once the second subscribes it may take a share, and the
            // first's count then stops short until the second has started.
            var expected = published * 8;
            await Wait.UntilAsync(async () => starting.IsCompleted || await AppliedAsync(first) >= expected, TimeSpan.FromSeconds(90), "the round applied or the second silo started");
        }

        await using var second = await starting;
        await WaitForClusterAsync(first, second);
        // Each silo counts the other among the owners once its Orleans knows the other's grain types; from then on a grain
        // the new silo owns moves to it on its next batch.
        while (await OwnersAsync(first) < 2 || await OwnersAsync(second) < 2)
        {
            await RoundAsync(publisher);
            published++;
        }

        // The rounds with both silos owners move the grains the new silo owns to it.
        for (var r = 0; r < 5; r++)
        {
            // Each round applied before the next: several batches, not one.
            await RoundAsync(publisher);
            var expected = ++published * 8;
            await Wait.UntilAsync(async () => await AppliedAsync(first) + await AppliedAsync(second) == expected, TimeSpan.FromSeconds(60), $"round {r + 1} after the join applied");
        }

        // What the silos send each other with no reading at all (membership probes, the live streams' queue reads, the
        // dashboard's counters), per second, is taken out of the measured rounds' count: the rounds' own share is what
        // routing by owner changes.
        // Counted until 90 idle messages were seen (or 15 s passed, for a cluster quieter than that), and divided by the
        // time they took: a rate from a sample, not a window of fixed length.
        var idle0 = await RemoteMessagesAsync(first) + await RemoteMessagesAsync(second);
        var idleClock = System.Diagnostics.Stopwatch.StartNew();
        var (idle, idleSeconds) = (0L, 0.0);
        await Wait.UntilAsync(async () =>
        {
            idle = await RemoteMessagesAsync(first) + await RemoteMessagesAsync(second) - idle0;
            idleSeconds = idleClock.Elapsed.TotalSeconds;
            return idle >= 90 || idleSeconds >= 15;
        }, TimeSpan.FromSeconds(30), "a sample of the idle messages between the silos");
        var idlePerSecond = idle / idleSeconds;

        var remote0 = await RemoteMessagesAsync(first) + await RemoteMessagesAsync(second);
        var batches0 = await BatchesAsync(first) + await BatchesAsync(second);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        const int measured = 20;
        for (var r = 0; r < measured; r++)
        {
            await RoundAsync(publisher);
            var expected = (published + r + 1) * 8;
            await Wait.UntilAsync(async () => await AppliedAsync(first) + await AppliedAsync(second) == expected, TimeSpan.FromSeconds(60), $"measured round {r + 1} applied");
        }

        await Wait.UntilAsync(async () => await AppliedAsync(first) + await AppliedAsync(second) == (published + measured) * 8, TimeSpan.FromSeconds(60), "the measured rounds applied");
        var sent = await RemoteMessagesAsync(first) + await RemoteMessagesAsync(second) - remote0;
        var readings = measured * devices.Length * PerMessage;
        var batches = await BatchesAsync(first) + await BatchesAsync(second) - batches0;
        var own = sent - idlePerSecond * clock.Elapsed.TotalSeconds;
        output.WriteLine($"route by owner {routeByOwner}: {sent / (double)readings:0.###} messages between the silos per reading, " +
            $"{own / readings:0.###} without the {idlePerSecond:0} a second they send idle; {batches} batches, {own / batches:0.#} messages per batch; " +
            $"cluster {await first.GetJsonAsync("/api/cluster")}");
        Assert.True(await AppliedAsync(second) > 0, "both silos took a share of the ingest");

        var moved = devices.ToDictionary(d => d.Device, d => registers[d.Device] - firstRegister[d.Device]);
        await Wait.UntilAsync(async () => Consumption(await second.GetJsonAsync("/api/city")) == moved.Values.Sum(), TimeSpan.FromSeconds(30),
            $"the city to count {moved.Values.Sum()} m³");
        foreach (var community in devices.GroupBy(d => (d.District, d.Community)))
        {
            Assert.Equal(community.Sum(d => moved[d.Device]),
                Consumption(await second.GetJsonAsync($"/api/districts/{community.Key.District}/communities/{community.Key.Community}")));
        }

        foreach (var district in devices.GroupBy(d => d.District))
        {
            Assert.Equal(district.Sum(d => moved[d.Device]), Consumption(await first.GetJsonAsync($"/api/districts/{district.Key}")));
        }

        foreach (var (_, _, device) in devices)
        {
            Assert.Equal(moved[device], (await first.GetJsonAsync($"/api/devices/{device}")).GetProperty("consumption").GetDecimal());
        }

        // Per batch, whatever its size: a request and a response per other silo and phase (shards, areas) and the city's,
        // at most 6 with two silos. A call per grain a batch touches (Ingest:RouteByOwner=false) sent 24 per batch here.
        Assert.True(own / batches < 10, $"{own / batches:0.#} Orleans messages between the silos per batch ({batches} batches) for the readings themselves");
    }

    /// <summary>Two silos through Redis and mosquitto in one shared subscription; a dead one is found in seconds.</summary>
    private static string[] ClusterSettings(RedisServer redis, MosquittoServer mosquitto, string clusterId, string clientId, params string[] more) =>
    [
        "--Orleans:Provider=Redis",
        $"--Orleans:Redis={redis.ConnectionString}",
        $"--Orleans:ClusterId={clusterId}",
        // Find a dead silo in seconds, not the production default.
        "--Orleans:Membership:ProbeTimeout=00:00:01",
        "--Orleans:Membership:NumMissedProbesLimit=2",
        "--Orleans:Membership:NumVotesForDeathDeclaration=1",
        "--Mqtt:Mode=External",
        "--Mqtt:Host=127.0.0.1",
        $"--Mqtt:Port={mosquitto.Port}",
        $"--Mqtt:ClientId={clientId}",
        "--Mqtt:SharedGroup=citysense",
        "--Logging:LogLevel:Default=Warning",
        .. more,
    ];

    private static async Task WaitForClusterAsync(SiloProcess first, SiloProcess second)
    {
        await Wait.UntilAsync(async () => (await first.GetJsonAsync("/api/cluster")).EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active") == 2,
            TimeSpan.FromSeconds(60), "two active silos");
        await Wait.UntilAsync(async () => (await second.GetJsonAsync("/health")).GetProperty("mqtt").GetProperty("connected").GetBoolean(), TimeSpan.FromSeconds(30), "silo 2 to subscribe");
    }

    /// <summary>The silos <paramref name="silo"/> counts among the owners of device shards and districts.</summary>
    private static async Task<int> OwnersAsync(SiloProcess silo) =>
        (await silo.GetJsonAsync("/api/cluster")).EnumerateArray().Count(s => s.GetProperty("owner").GetBoolean());

    /// <summary>A meter's flow at a step (m³/h): different per step and meter, three decimals.</summary>
    private static double FlowAt(int step, string device) => ((step * 13 + device[^1]) % 17) / 8.0;

    private static decimal Consumption(System.Text.Json.JsonElement area) =>
        area.GetProperty("kinds").EnumerateArray().Where(k => k.GetProperty("kind").GetString() == "water").Sum(k => k.GetProperty("consumption").GetDecimal());

    /// <summary>Disposes a silo started later in the test, if it was.</summary>
    private sealed class SiloHandle : IAsyncDisposable
    {
        public SiloProcess? Silo { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Silo is not null)
            {
                await Silo.DisposeAsync();
            }
        }
    }

    private static async Task<long> AppliedAsync(SiloProcess silo) =>
        (await silo.GetJsonAsync("/health")).GetProperty("ingest").GetProperty("messagesApplied").GetInt64();

    /// <summary>Orleans' count of messages this silo sent to another silo (requests, responses and one-way alike).</summary>
    private static async Task<long> RemoteMessagesAsync(SiloProcess silo)
    {
        var metrics = await silo.Http.GetStringAsync("/metrics");
        return (long)metrics.Split('\n')
            .Where(l => l.StartsWith("orleans_messaging_sent_messages_size_bytes_count{", StringComparison.Ordinal) && l.Contains("ConnectionDirection=\"SiloToSilo\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<long> BatchesAsync(SiloProcess silo) =>
        (await silo.GetJsonAsync("/health")).GetProperty("ingest").GetProperty("batches").GetInt64();

    private static long Accepted(System.Text.Json.JsonElement city) =>
        city.GetProperty("kinds").EnumerateArray().Where(k => k.GetProperty("kind").GetString() == "env").Sum(k => k.GetProperty("accepted").GetInt64());
}
