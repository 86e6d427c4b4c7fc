using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Telemetry;
using Orleans.Streams;
using Xunit;

namespace CitySense.GrainTests.Live;

/// <summary>The example scenario grain of docs/scenarios.md, fed by real area grains through the live streams.</summary>
[Collection(LiveClusterCollection.Name)]
public sealed class DistrictWatchScenarioTests(LiveClusterFixture fixture)
{
    private const long Window = 1_764_115_200_000;

    [Fact]
    public async Task The_district_watch_sees_community_water_flows_from_area_grains_and_names_the_busiest()
    {
        var watch = fixture.Cluster.Client.GetGrain<IDistrictWatchGrain>("dw-north");
        await watch.Start();
        await watch.Start();

        await ApplyWaterAsync("dw-north", "garden", "dw-w1", flow: 1.25);
        await ApplyWaterAsync("dw-north", "river", "dw-w2", flow: 3.5);
        await ApplyWaterAsync("dw-south", "hill", "dw-w3", flow: 9.0);

        var report = await Wait.UntilAsync(watch.GetReport, r => r.WaterFlowByCommunity.Count == 2, TimeSpan.FromSeconds(20), "both communities' flows");
        Assert.Equal(1.25, report.WaterFlowByCommunity["garden"]);
        Assert.Equal(3.5, report.WaterFlowByCommunity["river"]);
        Assert.Equal("river", report.BusiestCommunity);
        // Started twice, subscribed once: two community updates, each seen once (district updates may still be on their way).
        Assert.InRange(report.Updates, 2, 4);
        report = await Wait.UntilAsync(watch.GetReport, r => r.Updates >= 4, TimeSpan.FromSeconds(20), "the district's own updates");
        Assert.Equal(4, report.Updates);
        Assert.False(report.WaterFlowByCommunity.ContainsKey("hill"));
    }

    [Fact]
    public async Task The_district_watch_tracks_alarms_of_its_district_until_they_clear()
    {
        var watch = fixture.Cluster.Client.GetGrain<IDistrictWatchGrain>("dw-east");
        await watch.Start();
        var leak = Alarm("dw-east", "dw-w9/leak/1", AlarmState.Raised);
        fixture.Feed(0).AlarmChanged(leak);
        fixture.Feed(1).AlarmChanged(Alarm("dw-west", "dw-w8/leak/1", AlarmState.Raised));

        var report = await Wait.UntilAsync(watch.GetReport, r => r.ActiveAlarms.Length == 1, TimeSpan.FromSeconds(20), "the raised alarm");
        Assert.Equal(["dw-w9/leak/1"], report.ActiveAlarms);

        fixture.Feed(1).AlarmChanged(leak with { State = AlarmState.Cleared, EndMs = Window + 60_000 });
        report = await Wait.UntilAsync(watch.GetReport, r => r.AlarmEvents == 2, TimeSpan.FromSeconds(20), "the cleared alarm");
        Assert.Empty(report.ActiveAlarms);
    }

    [Fact]
    public async Task A_client_subscribed_to_a_community_stream_receives_each_update_once_and_in_order()
    {
        var received = new List<IndicatorUpdate>();
        var handle = await SubscribeAsync(LiveStreams.CommunityIndicatorsStream("cs-d", "cs-c"), received);

        for (var i = 1; i <= 20; i++)
        {
            await ApplyWaterAsync("cs-d", "cs-c", $"cs-w{i}", flow: i);
        }

        await Wait.UntilAsync(() => Task.FromResult(Count()), n => n >= 20, TimeSpan.FromSeconds(20), "20 community updates");
        await handle.UnsubscribeAsync();
        lock (received)
        {
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), received.Select(u => u.Figures.DevicesReporting));
            Assert.True(received.Zip(received.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
            Assert.All(received, u => Assert.Equal(("community", "cs-d/cs-c", "cs-d", "cs-c"), (u.Level, u.Key, u.District, u.Community)));
        }

        int Count()
        {
            lock (received)
            {
                return received.Count;
            }
        }
    }

    [Theory]
    [InlineData("community")]
    [InlineData("city")]
    public async Task A_stream_nobody_reads_is_not_published_until_a_client_subscribes(string level)
    {
        var district = $"nr-{level}-d";
        // No subscriber: the community's, its district's and the city's updates are counted, not published.
        var unread = fixture.Unread();
        await ApplyWaterAsync(district, "nr-c", "nr-w0", flow: 1);
        await Wait.UntilAsync(() => Task.FromResult(fixture.Unread()), n => n >= unread + 3, TimeSpan.FromSeconds(20), "the community's, district's and city's updates counted as unread");

        var received = new List<IndicatorUpdate>();
        var stream = level == "city" ? LiveStreams.CityIndicatorsStream() : LiveStreams.CommunityIndicatorsStream(district, "nr-c");
        var handle = await SubscribeAsync(stream, received);

        // Once the publisher has asked again (Live:StreamConsumerCheck, 300 ms here), the stream's updates flow.
        var device = 0;
        await Wait.UntilAsync(async () =>
        {
            await ApplyWaterAsync(district, "nr-c", $"nr-w{++device}", flow: device);
            lock (received)
            {
                return received.Count(u => u.Key == $"{district}/nr-c");
            }
        }, n => n >= 1, TimeSpan.FromSeconds(20), "an update of the community on the stream after subscribing");
        await handle.UnsubscribeAsync();
        if (level == "community")
        {
            lock (received)
            {
                Assert.All(received, u => Assert.Equal($"{district}/nr-c", u.Key));
            }
        }
    }

    [Fact]
    public async Task The_scenario_host_takes_every_update_with_no_stream_subscribed()
    {
        // The host is called by each silo's publisher, not subscribed: no stream of this district has a consumer.
        var host = fixture.Cluster.Client.GetGrain<IScenarioHostGrain>(IScenarioHostGrain.Key);
        var taken = fixture.ScenarioEvents();
        await ApplyWaterAsync("sh-d", "sh-c", "sh-w1", flow: 2);
        // The data-quality league reads districts' updates: the district becomes a row once the host took its update.
        var report = await Wait.UntilAsync(() => host.GetReport("data-quality", ApiTraffic.None), r => r is not null && r.Rows.Any(row => row.Area == "sh-d"),
            TimeSpan.FromSeconds(20), "the district's row in the data-quality league");
        Assert.Equal("1 accepted of 1 received (0 rejected, 0 duplicates, 0 late)", report!.Rows.Single(row => row.Area == "sh-d").Note);
        // Counted once the publisher's call returned, which may be just after the report was read.
        await Wait.UntilAsync(() => Task.FromResult(fixture.ScenarioEvents()), n => n >= taken + 2, TimeSpan.FromSeconds(20), "the updates counted as taken by the host");
    }

    /// <summary>Subscribes the test client to an indicator stream, collecting what it receives in <paramref name="received"/> (locked).</summary>
    private Task<StreamSubscriptionHandle<IndicatorUpdate>> SubscribeAsync(StreamId id, List<IndicatorUpdate> received) =>
        fixture.Cluster.Client.GetStreamProvider(LiveStreams.Provider).GetStream<IndicatorUpdate>(id).SubscribeAsync((update, _) =>
        {
            lock (received)
            {
                received.Add(update);
            }

            return Task.CompletedTask;
        });

    private async Task ApplyWaterAsync(string district, string community, string device, double flow)
    {
        var batch = new IndicatorBatch(
            [new DeviceUpdate(device, Kinds.Water, Window + 5, Window, 0.5m, flow, DeviceUpdateFlags.FirstSeen | DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest, [new MetricSample("flow", flow)], RejectionReason.None)],
            []).AsImmutable();
        await fixture.Cluster.Client.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community)).Apply(batch);
        await fixture.Cluster.Client.GetGrain<IDistrictGrain>(district).Apply(batch);
    }

    private static AlarmEvent Alarm(string district, string id, AlarmState state) =>
        new(id, "leak", AlarmSeverity.Warning, state, district, "c1", Kinds.Water, id.Split('/')[0], Window, null, 0.4, 0.4, "Continuous flow for 6 h");
}
