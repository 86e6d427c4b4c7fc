using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Live;
using Xunit;

namespace CitySense.UnitTests.Live;

/// <summary>
/// The scenario host gets each round of the publisher in one call; a round it does not take loses its indicator
/// updates (counted) and keeps its alarm events, in order, ahead of the next round's.
/// </summary>
public sealed class ScenarioFeedTests
{
    [Fact]
    public async Task A_round_goes_to_the_host_in_one_call_in_the_silo_s_order_and_is_counted()
    {
        var calls = new List<ILiveUpdate[]>();
        var stats = new LiveStats();
        var feed = new ScenarioFeed(updates => { calls.Add(updates); return Task.CompletedTask; }, stats, kept: 10);

        Assert.Null(await feed.SendAsync([Indicator(1), Alarm(2), Indicator(3)]));
        Assert.Null(await feed.SendAsync([]));

        var call = Assert.Single(calls);
        Assert.Equal([1L, 2L, 3L], call.Select(u => u.Seq));
        Assert.Equal((3L, 0L), (stats.ScenarioEvents, stats.ScenarioDropped));
    }

    [Fact]
    public async Task A_refused_round_keeps_its_alarm_events_for_the_next_round_and_drops_its_indicators_counted()
    {
        var calls = new List<ILiveUpdate[]>();
        var refuse = true;
        var stats = new LiveStats();
        var feed = new ScenarioFeed(updates =>
        {
            calls.Add(updates);
            return refuse ? Task.FromException(new TimeoutException("host's silo dying")) : Task.CompletedTask;
        }, stats, kept: 10);

        var error = await feed.SendAsync([Indicator(1), Alarm(2), Indicator(3), Alarm(4)]);
        Assert.IsType<TimeoutException>(error);
        Assert.True(feed.HasPending);
        Assert.Equal((0L, 2L), (stats.ScenarioEvents, stats.ScenarioDropped));

        // Still refused: the kept alarms go again, first, and stay kept with the new one.
        Assert.NotNull(await feed.SendAsync([Alarm(5)]));
        Assert.Equal([2L, 4L, 5L], calls[1].Select(u => u.Seq));

        refuse = false;
        Assert.Null(await feed.SendAsync([Indicator(6)]));
        Assert.Equal([2L, 4L, 5L, 6L], calls[2].Select(u => u.Seq));
        Assert.False(feed.HasPending);
        Assert.Equal((4L, 2L), (stats.ScenarioEvents, stats.ScenarioDropped));

        // Nothing new and nothing kept: no call.
        Assert.Null(await feed.SendAsync([]));
        Assert.Equal(3, calls.Count);
    }

    [Fact]
    public async Task Past_the_bound_the_oldest_kept_alarm_events_go_counted_and_a_leaving_silo_abandons_the_rest()
    {
        var calls = new List<ILiveUpdate[]>();
        var stats = new LiveStats();
        var feed = new ScenarioFeed(updates => { calls.Add(updates); return Task.FromException(new TimeoutException()); }, stats, kept: 2);

        await feed.SendAsync([Alarm(1), Alarm(2), Alarm(3)]);
        Assert.Equal(1L, stats.ScenarioDropped);
        await feed.SendAsync([]);
        Assert.Equal([2L, 3L], calls[1].Select(u => u.Seq));

        feed.Abandon();
        Assert.False(feed.HasPending);
        Assert.Equal(3L, stats.ScenarioDropped);
    }

    private static IndicatorUpdate Indicator(long seq) => new(seq, 0, LiveLevels.Community, "d/c", new KindSnapshot("water", null, null, 0, 0, 0, [], []));

    private static AlarmUpdate Alarm(long seq) =>
        new(seq, 0, new AlarmEvent($"w{seq}/leak/1", "leak", AlarmSeverity.Warning, AlarmState.Raised, "d", "c", "water", $"w{seq}", 1, null, 1, 1, "m"));
}
