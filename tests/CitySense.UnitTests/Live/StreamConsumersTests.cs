using CitySense.Contracts.Live;
using CitySense.Live;

namespace CitySense.UnitTests.Live;

/// <summary>
/// The stream publisher asks Orleans' pubsub whether a stream has a consumer, at most once per check interval per stream
/// (the city's streams too: the scenario host is called, not subscribed).
/// </summary>
public sealed class StreamConsumersTests
{
    private static readonly StreamId Community = LiveStreams.CommunityIndicatorsStream("d1", "c1");
    private static readonly StreamId District = LiveStreams.DistrictAlarmsStream("d1");

    [Fact]
    public async Task Streams_without_a_consumer_are_not_published_the_city_s_included()
    {
        var asked = new List<StreamId>();
        var city = LiveStreams.CityIndicatorsStream();
        var consumers = new StreamConsumers(id => { asked.Add(id); return Task.FromResult(id == District || id == LiveStreams.CityAlarmsStream()); }, TimeSpan.FromMinutes(1));

        await consumers.RefreshAsync([Community, District, city, LiveStreams.CityAlarmsStream()]);

        Assert.False(consumers.IsConsumed(Community));
        Assert.True(consumers.IsConsumed(District));
        Assert.False(consumers.IsConsumed(city));
        Assert.True(consumers.IsConsumed(LiveStreams.CityAlarmsStream()));
        Assert.Equal([Community, District, city, LiveStreams.CityAlarmsStream()], asked);
    }

    [Fact]
    public async Task An_answer_holds_for_the_check_interval_then_is_asked_again()
    {
        var subscribed = false;
        var asks = 0;
        var held = new StreamConsumers(_ => { asks++; return Task.FromResult(subscribed); }, TimeSpan.FromHours(1));
        await held.RefreshAsync([Community]);
        subscribed = true;
        await held.RefreshAsync([Community]);
        // Within the interval: the first answer stands, nothing asked again.
        Assert.False(held.IsConsumed(Community));
        Assert.Equal(1, asks);

        // An interval shorter than any two calls: every refresh asks, and a new subscription is seen at once.
        subscribed = false;
        var fresh = new StreamConsumers(_ => Task.FromResult(subscribed), TimeSpan.FromTicks(1));
        await fresh.RefreshAsync([Community]);
        Assert.False(fresh.IsConsumed(Community));
        subscribed = true;
        await fresh.RefreshAsync([Community]);
        Assert.True(fresh.IsConsumed(Community));
    }

    [Fact]
    public async Task A_failed_lookup_or_a_stream_not_yet_asked_counts_as_consumed()
    {
        var consumers = new StreamConsumers(_ => Task.FromException<bool>(new TimeoutException("pubsub away")), TimeSpan.FromMinutes(1));
        Assert.True(consumers.IsConsumed(Community));
        await consumers.RefreshAsync([Community]);
        Assert.True(consumers.IsConsumed(Community));
    }

    [Fact]
    public async Task With_checks_off_every_stream_is_published_and_nothing_is_asked()
    {
        var consumers = new StreamConsumers(_ => throw new InvalidOperationException("asked"), TimeSpan.Zero);
        await consumers.RefreshAsync([Community, District]);
        Assert.False(consumers.Checks);
        Assert.True(consumers.IsConsumed(Community));
        Assert.True(consumers.IsConsumed(District));
    }
}
