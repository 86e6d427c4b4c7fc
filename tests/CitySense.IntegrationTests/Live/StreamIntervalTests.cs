using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Live;

/// <summary>
/// Live:StreamInterval limits the stream publisher's rounds: updates that come in meanwhile go out together, one call
/// per stream. Each call is an Orleans message to the stream's queue (to another silo when the queue lives there), so
/// this is what keeps the live streams from crossing silos once per community update (issue 16, target 4).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class StreamIntervalTests
{
    [Fact]
    public async Task The_stream_publisher_makes_at_most_one_round_per_interval_whatever_the_updates()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Live:StreamInterval"] = "00:00:01",
            // An update per area after every batch: many more updates than rounds.
            ["Live:AreaInterval"] = "00:00:00",
            ["Ingest:DeviceRateLimit:MessagesPerSecond"] = "0",
            // Every stream published, read or not: the rounds are what is measured.
            ["Live:StreamConsumerCheck"] = "00:00:00",
        });
        await using var publisher = await Publisher.ConnectAsync(silo.MqttPort, "stream-interval");
        async Task<(long Events, long Calls, long Rounds)> LiveAsync()
        {
            var live = (await silo.GetJsonAsync("/health"))!.Value.GetProperty("live");
            return (live.GetProperty("streamEvents").GetInt64(), live.GetProperty("streamCalls").GetInt64(), live.GetProperty("streamRounds").GetInt64());
        }

        async Task<long> AppliedAsync() => (await silo.GetJsonAsync("/health"))!.Value.GetProperty("ingest").GetProperty("messagesApplied").GetInt64();

        // Steps of 10 communities, each applied before the next (an update per area and batch), for at least 30 steps and
        // until the publisher has made more than one round: many more updates than rounds.
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 600_000;
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var step = 0;
        while (step < 30 || (await LiveAsync()).Rounds < 2)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"{step} steps published and the stream publisher made fewer than 2 rounds");
            for (var c = 0; c < 10; c++)
            {
                await publisher.PublishAsync($"city/si-d{c % 2}/si-c{c}/water/si-w{c}", $$"""{"ts":{{ts + step * 1000}},"total":{{100 + step}}}""");
            }

            step++;
            var published = step * 10;
            await Wait.UntilAsync(async () => await AppliedAsync() == published, TimeSpan.FromSeconds(30), $"step {step} applied");
        }

        var readings = step * 10;
        await Wait.UntilAsync(async () => (await LiveAsync()).Events >= readings, TimeSpan.FromSeconds(30), "the updates to reach the streams");
        var (events, calls, rounds) = await LiveAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        Assert.True(rounds >= 2, $"{rounds} rounds: the updates went out in more than one");
        Assert.True(rounds <= seconds + 1, $"{rounds} rounds in {seconds:0.0} s with a 1 s interval");
        // 10 communities, 2 districts and the city, each with an indicator and an alarm stream: at most 26 calls a round.
        Assert.True(calls <= rounds * 26, $"{calls} stream calls in {rounds} rounds");
        Assert.True(events > calls, $"{events} events in {calls} calls: several updates went out in one call");
    }

    [Fact]
    public async Task Updates_waiting_for_the_next_round_are_shown_in_health_as_queued()
    {
        // A round at the first update, then none for ten minutes: what comes after waits in the publisher's queue.
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Live:StreamInterval"] = "00:10:00" });
        await using var publisher = await Publisher.ConnectAsync(silo.MqttPort, "stream-queued");
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 600_000;
        async Task<System.Text.Json.JsonElement> LiveAsync() => (await silo.GetJsonAsync("/health"))!.Value.GetProperty("live");

        await publisher.PublishAsync("city/sq-d/sq-c1/water/sq-w1", $$"""{"ts":{{ts}},"total":1}""");
        await Wait.UntilAsync(async () => (await LiveAsync()).GetProperty("streamRounds").GetInt64() == 1, TimeSpan.FromSeconds(30), "the first round");
        await publisher.PublishAsync("city/sq-d/sq-c2/water/sq-w2", $$"""{"ts":{{ts}},"total":1}""");

        // The second community's, its district's and the city's updates: on the feed's and the MQTT republisher's way
        // at once, held for the stream publisher's next round.
        await Wait.UntilAsync(async () => (await LiveAsync()).GetProperty("queued"), q => q.GetProperty("streams").GetInt32() >= 3,
            TimeSpan.FromSeconds(30), "the updates queued for the next round");
        Assert.Equal(1, (await LiveAsync()).GetProperty("streamRounds").GetInt64());
    }
}
