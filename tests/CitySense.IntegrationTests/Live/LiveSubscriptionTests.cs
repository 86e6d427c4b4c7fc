using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Live;

/// <summary>SSE and WebSocket subscribers of the real host, with real MQTT readings going in.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LiveSubscriptionTests
{
    private static readonly string[] Districts = ["lv-north", "lv-south"];
    private static readonly string[] Communities = ["garden", "river"];

    [Fact]
    public async Task Twenty_four_sse_and_websocket_subscribers_at_once_each_receive_every_update_in_order_per_area_and_kind()
    {
        // Every batch announced (no coalescing): this test checks that transports lose and reorder nothing.
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Live:AreaInterval"] = "00:00:00" });
        var clients = new List<(ILiveClient Client, Func<(string Level, string Key), bool> Selects)>();
        for (var i = 0; i < 10; i++)
        {
            clients.Add((await SseTestClient.ConnectAsync(silo.HttpPort, string.Empty, name: $"sse-{i}"), _ => true));
            clients.Add((await WebSocketTestClient.ConnectAsync(silo.HttpPort, string.Empty, name: $"ws-{i}"), _ => true));
        }

        for (var i = 0; i < 2; i++)
        {
            clients.Add((await SseTestClient.ConnectAsync(silo.HttpPort, "?district=lv-north", name: $"sse-north-{i}"), a => a.Level != "city" && a.Key.StartsWith("lv-north", StringComparison.Ordinal)));
            clients.Add((await WebSocketTestClient.ConnectAsync(silo.HttpPort, "?district=lv-south&community=garden&kind=water", name: $"ws-garden-{i}"), a => a.Key == "lv-south/garden"));
        }

        try
        {
            await Wait.UntilAsync(() => Task.FromResult(clients.All(c => c.Client.Received.Count >= 1)), TimeSpan.FromSeconds(30), "every subscriber's snapshot");
            const int rounds = 15;
            await PublishRoundsAsync(silo.MqttPort, rounds);

            // Each QoS 1 reading is applied in a batch of its own: one update for its community, its district and the city.
            var perCommunity = rounds;
            var expectedPerKey = new Dictionary<(string Level, string Key), int> { [("city", "city")] = rounds * 4 };
            foreach (var d in Districts)
            {
                expectedPerKey[("district", d)] = rounds * 2;
                foreach (var c in Communities)
                {
                    expectedPerKey[("community", $"{d}/{c}")] = perCommunity;
                }
            }

            foreach (var (client, selects) in clients)
            {
                var expected = expectedPerKey.Where(p => selects(p.Key)).Sum(p => p.Value);
                await Wait.UntilAsync(() => Task.FromResult(client.Received.Count >= 1 + expected), TimeSpan.FromSeconds(60),
                    $"{client.Name} to receive {expected} updates (has {client.Received.Count - 1})");
                var received = client.Received;
                Assert.Equal("snapshot", received[0].Type);
                var updates = received.Skip(1).ToArray();
                Assert.Equal(expected, updates.Length);
                Assert.All(updates, m => Assert.Equal(("indicators", 0L), (m.Type, m.Dropped)));
                Assert.True(updates.Zip(updates.Skip(1)).All(p => p.First.Seq < p.Second.Seq), $"{client.Name}: sequence numbers increase");
                foreach (var key in updates.GroupBy(m => m.AreaKind))
                {
                    Assert.True(selects((key.Key.Level, key.Key.Key)), $"{client.Name} got {key.Key} outside its filter");
                    // Every update of an area and kind, in order: its accepted count goes up by exactly one each time.
                    Assert.Equal(Enumerable.Range(1, expectedPerKey[(key.Key.Level, key.Key.Key)]).Select(n => (long)n), key.Select(m => m.Accepted));
                }
            }

            // Unfiltered subscribers saw every number the silo gave out after their snapshot: nothing was lost anywhere.
            var everything = clients[0].Client.Received;
            Assert.Equal(Enumerable.Range(1, everything.Count - 1).Select(n => everything[0].Seq + n), everything.Skip(1).Select(m => m.Seq));
        }
        finally
        {
            foreach (var (client, _) in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_loses_its_oldest_updates_sees_how_many_and_holds_up_nobody()
    {
        // The default buffer (Live:SubscriberBuffer, 1024): it must cover the bursts a reading subscriber gets while it
        // writes, or a fast subscriber would drop too.
        // This test floods a few devices on purpose: the per-device rate limit (docs/security.md) would refuse the flood.
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Ingest:DeviceRateLimit:MessagesPerSecond"] = "0",
            ["Ingest:ConnectionRateLimit:MessagesPerSecond"] = "0",
            // An update per batch, so that the flood reaches the slow subscriber's buffer.
            ["Live:AreaInterval"] = "00:00:00",
        });
        var fast = new List<ILiveClient>();
        for (var i = 0; i < 3; i++)
        {
            fast.Add(await SseTestClient.ConnectAsync(silo.HttpPort, string.Empty, name: $"sse-{i}"));
            fast.Add(await WebSocketTestClient.ConnectAsync(silo.HttpPort, string.Empty, name: $"ws-{i}"));
        }

        // The slow subscriber: a tiny receive buffer and no reading after the request, so the server's writes stall.
        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await slow.ConnectAsync("127.0.0.1", silo.HttpPort);
        // HTTP/1.0: the body is the raw event stream (no chunked framing to undo).
        await slow.SendAsync(Encoding.ASCII.GetBytes("GET /api/live/sse HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"));
        try
        {
            await Wait.UntilAsync(async () => (await SubscribersAsync(silo)).Count == 7, TimeSpan.FromSeconds(30), "seven subscribers");
            var readings = 0;
            for (var round = 1; round <= 100 && (await SubscribersAsync(silo)).Max(s => s.Dropped) == 0; round++)
            {
                readings += await PublishRoundsAsync(silo.MqttPort, rounds: 10, firstRound: round * 10);
            }

            var slowDrops = (await SubscribersAsync(silo)).Max(s => s.Dropped);
            Assert.True(slowDrops > 0, $"the stalled subscriber dropped nothing after {readings} readings");

            // Ingestion was not held up: every reading was applied (QoS 1 PUBACKs came back), and the fast subscribers
            // got every update the silo numbered, without a drop.
            var health = (await silo.GetJsonAsync("/health"))!.Value;
            Assert.Equal(readings, health.GetProperty("ingest").GetProperty("messagesApplied").GetInt64());
            var published = health.GetProperty("live").GetProperty("published").GetInt64();
            foreach (var client in fast)
            {
                await Wait.UntilAsync(() => Task.FromResult(client.Received[^1].Seq == published), TimeSpan.FromSeconds(60), $"{client.Name} to reach seq {published}");
                var updates = client.Received.Skip(1).ToArray();
                Assert.Equal(Enumerable.Range(1, updates.Length).Select(n => client.Received[0].Seq + n), updates.Select(m => m.Seq));
                Assert.All(updates, m => Assert.Equal(0, m.Dropped));
            }

            // Reading again, the slow subscriber gets the newest updates, each telling how many it lost so far; the
            // numbers it never saw are exactly the ones dropped.
            var slowMessages = await ReadSseUntilAsync(slow, published, TimeSpan.FromSeconds(60));
            var last = slowMessages[^1];
            var serverSide = Assert.Single(await SubscribersAsync(silo), s => s.Dropped > 0);
            Assert.Equal(serverSide.Dropped, last.Dropped);
            var seen = slowMessages.Skip(1).Select(m => m.Seq).ToHashSet();
            var missing = Enumerable.Range(1, (int)(published - slowMessages[0].Seq)).Count(n => !seen.Contains(slowMessages[0].Seq + n));
            Assert.Equal(last.Dropped, missing);
            foreach (var key in slowMessages.Skip(1).GroupBy(m => m.AreaKind))
            {
                Assert.True(key.Zip(key.Skip(1)).All(p => p.First.Accepted < p.Second.Accepted), $"updates of {key.Key} stay in order");
            }
        }
        finally
        {
            foreach (var client in fast)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_area_is_announced_at_most_once_per_interval_and_its_last_figures_always_arrive()
    {
        var interval = TimeSpan.FromSeconds(1);
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Live:AreaInterval"] = interval.ToString(),
            ["Ingest:DeviceRateLimit:MessagesPerSecond"] = "0",
        });
        await using var client = await SseTestClient.ConnectAsync(silo.HttpPort, string.Empty, name: "sse");
        await Wait.UntilAsync(() => Task.FromResult(client.Received.Count >= 1), TimeSpan.FromSeconds(30), "the snapshot");

        // Each QoS 1 reading is applied in a batch of its own: 15 batches per community, 30 per district, 60 for the city.
        const int rounds = 15;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        await PublishRoundsAsync(silo.MqttPort, rounds);
        var expected = new Dictionary<(string Level, string Key), long> { [("city", "city")] = rounds * 4 };
        foreach (var d in Districts)
        {
            expected[("district", d)] = rounds * 2;
            foreach (var c in Communities)
            {
                expected[("community", $"{d}/{c}")] = rounds;
            }
        }

        // No batch follows the last ones: what was held back is announced when the interval ends.
        await Wait.UntilAsync(() => Task.FromResult(expected.All(e => client.Received.Skip(1).Any(m => m.Type == "indicators" && (m.AreaKind.Level, m.AreaKind.Key) == e.Key && m.Accepted == e.Value))),
            TimeSpan.FromSeconds(30), "every area's final figures");
        elapsed.Stop();

        var updates = client.Received.Skip(1).Where(m => m.Type == "indicators").ToArray();
        Assert.True(updates.Zip(updates.Skip(1)).All(p => p.First.Seq < p.Second.Seq), "sequence numbers increase");
        var mostPerArea = (int)(elapsed.Elapsed / interval) + 1;
        foreach (var area in updates.GroupBy(m => (m.AreaKind.Level, m.AreaKind.Key)))
        {
            Assert.True(area.Count() <= mostPerArea, $"{area.Key}: {area.Count()} updates in {elapsed.Elapsed.TotalSeconds:0.0} s, at most one per {interval.TotalSeconds} s expected");
            Assert.True(area.Zip(area.Skip(1)).All(p => p.First.Accepted < p.Second.Accepted), $"{area.Key}: updates in order");
            Assert.Equal(expected[area.Key], area.Last().Accepted);
        }

        Assert.True(updates.Length < expected.Values.Sum(), $"{updates.Length} updates for {expected.Values.Sum()} area batches: nothing was coalesced");
    }

    /// <summary>One QoS 1 reading per community per round; returns the number of readings published.</summary>
    private static async Task<int> PublishRoundsAsync(int mqttPort, int rounds, int firstRound = 1)
    {
        var start = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds();
        await using var publisher = await Publisher.ConnectAsync(mqttPort, $"lv-publisher-{firstRound}");
        var count = 0;
        for (var r = firstRound; r < firstRound + rounds; r++)
        {
            foreach (var d in Districts)
            {
                foreach (var c in Communities)
                {
                    var payload = string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{start + r * 1000}},"total":{{100 + r * 0.5}},"flow":{{r / 10.0}}}""");
                    await publisher.PublishAsync($"city/{d}/{c}/water/{d}-{c}-w1", payload);
                    count++;
                }
            }
        }

        return count;
    }

    private static async Task<IReadOnlyList<(string Transport, long Dropped)>> SubscribersAsync(CitySenseInstance silo)
    {
        var list = (await silo.GetJsonAsync("/api/live/subscribers"))!.Value;
        return list.EnumerateArray().Select(s => (s.GetProperty("transport").GetString()!, s.GetProperty("dropped").GetInt64())).ToArray();
    }

    private static async Task<List<LiveMessage>> ReadSseUntilAsync(Socket socket, long lastSeq, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var messages = new List<LiveMessage>();
        // Skip the status line and headers.
        while (await reader.ReadLineAsync(cts.Token) is { Length: > 0 })
        {
        }

        while (messages.Count == 0 || messages[^1].Seq < lastSeq)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new IOException("The stream ended early.");
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var message = LiveMessage.Parse(line[6..]);
                if (message.Type is "snapshot" or "indicators")
                {
                    messages.Add(message);
                }
            }
        }

        return messages;
    }
}
