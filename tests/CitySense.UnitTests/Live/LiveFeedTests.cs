using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace CitySense.UnitTests.Live;

public sealed class LiveFeedTests
{
    [Fact]
    public void A_full_feed_queue_drops_and_counts_updates_without_blocking_or_throwing_and_leaves_no_gap_in_the_sequence()
    {
        var stats = new LiveStats();
        var feed = new LiveFeed(Options.Create(new LiveOptions { QueueCapacity = 3 }), stats, TimeProvider.System, NullLogger<LiveFeed>.Instance);

        feed.AreaChanged("community", "d/c", [Kind("water"), Kind("heat")]);
        feed.AlarmChanged(new AlarmEvent("w/leak/1", "leak", AlarmSeverity.Warning, AlarmState.Raised, "d", "c", "water", "w", 1, null, 1, 1, "m"));
        feed.AreaChanged("district", "d", [Kind("water"), Kind("gas")]);

        Assert.Equal((3L, 2L), (stats.Published, stats.FeedDropped));
        var queued = new List<ILiveUpdate>();
        while (feed.Reader.TryRead(out var update))
        {
            queued.Add(update);
        }

        Assert.Equal([1L, 2L, 3L], queued.Select(u => u.Seq));
        feed.AreaChanged("city", "city", [Kind("water")]);
        Assert.True(feed.Reader.TryRead(out var next));
        Assert.Equal(4, next.Seq);
    }

    [Fact]
    public void A_subscriber_that_falls_behind_keeps_the_newest_updates_and_counts_the_dropped_ones()
    {
        var options = Options.Create(new LiveOptions { SubscriberBuffer = 2 });
        var stats = new LiveStats();
        var hub = new LiveHub(options, new AlarmBook(options), stats, TimeProvider.System, TestSerializer.Instance);
        hub.Publish([Update(1, "water"), Update(2, "heat")]);
        using var slow = hub.Subscribe(LiveFilter.All, "sse", null);
        using var waterOnly = hub.Subscribe(new LiveFilter(null, null, "water", null, null), "ws", null);

        hub.Publish([Update(3, "water"), Update(4, "heat"), Update(5, "water"), Update(6, "gas")]);

        Assert.Equal(2, slow.Snapshot.Seq);
        Assert.Equal(["heat", "water"], slow.Snapshot.Figures.Select(f => f.Figures.Kind).Order());
        Assert.Equal(2, slow.Dropped);
        Assert.Equal([5L, 6L], Drain(slow).Select(u => u.Seq));
        Assert.Equal(0, waterOnly.Dropped);
        Assert.Equal([3L, 5L], Drain(waterOnly).Select(u => u.Seq));
        Assert.Equal(2, stats.SubscriberDropped);
    }

    private static List<ILiveUpdate> Drain(LiveSubscriber subscriber)
    {
        var list = new List<ILiveUpdate>();
        while (subscriber.Reader.TryRead(out var u))
        {
            list.Add(u);
        }

        return list;
    }

    [Fact]
    public void With_scenarios_off_an_update_goes_to_its_area_and_district_streams_but_not_to_the_citys()
    {
        var community = new IndicatorUpdate(1, 0, LiveLevels.Community, "d/c", Kind("water"));
        var alarm = new AlarmUpdate(2, 0, new AlarmEvent("w/leak/1", "leak", AlarmSeverity.Warning, AlarmState.Raised, "d", "c", "water", "w", 1, null, 1, 1, "m"));
        Assert.Equal(3, StreamPublisher.StreamsOf(community).Count());
        Assert.Equal([LiveStreams.CommunityIndicatorsStream("d", "c"), LiveStreams.DistrictIndicatorsStream("d")], StreamPublisher.StreamsOf(community, city: false));
        Assert.Equal([LiveStreams.CommunityAlarmsStream("d", "c"), LiveStreams.DistrictAlarmsStream("d")], StreamPublisher.StreamsOf(alarm, city: false));
        Assert.Empty(StreamPublisher.StreamsOf(Update(3, "water"), city: false));
    }

    [Fact]
    public void With_community_fan_out_off_a_communitys_updates_go_to_its_district_and_the_city_only()
    {
        var community = new IndicatorUpdate(1, 0, LiveLevels.Community, "d/c", Kind("water"));
        var district = new IndicatorUpdate(2, 0, LiveLevels.District, "d", Kind("water"));
        var alarm = new AlarmEvent("w/leak/1", "leak", AlarmSeverity.Warning, AlarmState.Raised, "d", "c", "water", "w", 1, null, 1, 1, "m");
        Assert.Equal([LiveStreams.DistrictIndicatorsStream("d"), LiveStreams.CityIndicatorsStream()], StreamPublisher.StreamsOf(community, community: false));
        Assert.Equal([LiveStreams.DistrictAlarmsStream("d"), LiveStreams.CityAlarmsStream()], StreamPublisher.StreamsOf(new AlarmUpdate(3, 0, alarm), community: false));
        Assert.Equal(StreamPublisher.StreamsOf(district), StreamPublisher.StreamsOf(district, community: false));
        Assert.Equal(["out/district/d/alarms", "out/city/alarms"], LiveTopics.Alarms("out", alarm, community: false));
        Assert.Equal(3, LiveTopics.Alarms("out", alarm).Length);
    }

    private static IndicatorUpdate Update(long seq, string kind) => new(seq, 0, "city", "city", Kind(kind));

    private static KindSnapshot Kind(string kind) => new(kind, null, null, 0, 0, 0, [], []);
}
