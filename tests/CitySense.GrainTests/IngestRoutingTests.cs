using System.Buffers;
using System.Text;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Rejections;
using CitySense.Output;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;
using CitySense.Ingest.Settings;
using CitySense.Output.Writing;
using CitySense.Grains.Routing;

namespace CitySense.GrainTests;

/// <summary>The ingest pipeline and worker against a real (in-process) two-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IngestRoutingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_batch_of_single_and_gateway_messages_reaches_device_community_district_and_city_grains()
    {
        var (pipeline, worker, rejections) = NewIngest(new DeviceOptions());

        const long ts = 1_764_115_200_000;
        var applied = new List<Task>
        {
            (await pipeline.SubmitAsync("city/ir-d/ir-c/water/ir-w1", Bytes($$"""{"ts":{{ts}},"total":100.000,"flow":1.5}"""), null)).Applied,
            (await pipeline.SubmitAsync("city/ir-d/ir-c/gateway/gw1", Bytes($$"""[{"device":"ir-w2","kind":"water","ts":{{ts}},"total":50.000,"flow":0.5},{"device":"ir-w1","kind":"water","ts":{{ts + 60_000}},"total":100.250,"flow":1.0}]"""), null)).Applied,
            (await pipeline.SubmitAsync("city/ir-d/ir-c/water/ir-w2", Bytes($$"""{"ts":{{ts + 61_000}},"total":50.125}"""), null)).Applied,
            (await pipeline.SubmitAsync("city/ir-d/ir-c/water/ir-w2", Bytes("""{"ts":"yesterday","total":1}"""), null)).Applied,
        };

        await worker.StartAsync(CancellationToken.None);
        await Task.WhenAll(applied).WaitAsync(TimeSpan.FromSeconds(30));
        await worker.StopAsync(CancellationToken.None);

        var community = await fixture.Cluster.Client.GetGrain<ICommunityGrain>(AreaKeys.Community("ir-d", "ir-c")).GetSnapshot();
        var water = Assert.Single(community.Kinds);
        Assert.Equal(0.375m, water.Consumption);
        Assert.Equal(1.0 + 0.5, water.FlowSum);
        Assert.Equal(2, water.DevicesReporting);
        Assert.Equal(4, water.Accepted);
        Assert.Equal(1, water.Rejected);
        var second = Assert.Single(water.Windows, w => w.StartMs == ts + 60_000);
        Assert.Equal((0.375m, 2L, 2L), (second.Consumption, second.Accepted, second.DevicesReporting));

        var district = await fixture.Cluster.Client.GetGrain<IDistrictGrain>("ir-d").GetSnapshot();
        Assert.Equal(["ir-c"], district.Children);
        Assert.Equal(0.375m, Assert.Single(district.Kinds).Consumption);
        var city = await fixture.Cluster.Client.GetGrain<ICityGrain>(AreaKeys.City).GetSnapshot();
        Assert.Contains("ir-d", city.Children);
        Assert.Equal(1, rejections.Count(RejectionReason.InvalidTimestamp));
    }

    [Fact]
    public async Task Readings_of_many_devices_sharing_shards_across_communities_each_reach_their_own_device()
    {
        // 8 shards for 60 devices: every shard holds devices of several communities, in one batch.
        var (pipeline, worker, _) = NewIngest(new DeviceOptions { Shards = 8 });
        const int devices = 60;
        const long ts = 1_764_115_200_000;
        Assert.Contains(Enumerable.Range(0, devices).GroupBy(i => DeviceShards.Of($"im-w{i}", 8)), g => g.Select(i => i % 3).Distinct().Count() == 3);

        // Each device's first reading, then its second, in an order that interleaves devices, communities and shards.
        var applied = new List<Task>();
        foreach (var round in new[] { 0, 1 })
        {
            foreach (var i in Enumerable.Range(0, devices).OrderBy(i => (i * 37 + round * 11) % devices))
            {
                var total = 100 + i + round * (i + 1) / 1000m;
                applied.Add((await pipeline.SubmitAsync($"city/im-d/im-c{i % 3}/water/im-w{i}", Bytes($$"""{"ts":{{ts + round * 1_000}},"total":{{total}}}"""), null)).Applied);
            }
        }

        await worker.StartAsync(CancellationToken.None);
        await Task.WhenAll(applied).WaitAsync(TimeSpan.FromSeconds(30));
        await worker.StopAsync(CancellationToken.None);

        // Shards of 8 are not the silos' shards (DeviceShards.DefaultCount): read each device's state from the shard the worker used.
        for (var i = 0; i < devices; i++)
        {
            var snapshot = await fixture.Cluster.Client.GetGrain<IDeviceShardGrain>(DeviceShards.Of($"im-w{i}", 8)).GetSnapshot($"im-w{i}", registered: false);
            Assert.Equal(($"im-c{i % 3}", (i + 1) / 1000m), (snapshot!.Community, snapshot.Consumption!.Value));
        }

        for (var c = 0; c < 3; c++)
        {
            var community = await fixture.Cluster.Client.GetGrain<ICommunityGrain>(AreaKeys.Community("im-d", $"im-c{c}")).GetSnapshot();
            var expected = Enumerable.Range(0, devices).Where(i => i % 3 == c).Sum(i => (i + 1) / 1000m);
            Assert.Equal(expected, Assert.Single(community.Kinds).Consumption);
        }
    }

    [Fact]
    public async Task An_area_grain_writes_its_changed_windows_when_deactivated()
    {
        var key = AreaKeys.Community("wr-d", "wr-c");
        var grain = fixture.Cluster.Client.GetGrain<ICommunityGrain>(key);
        const long window = 1_764_115_200_000;
        await grain.Apply(new IndicatorBatch(
            [new DeviceUpdate("wr-w1", "water", window + 5, window, 1.5m, 0.2, DeviceUpdateFlags.FirstSeen | DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest, [new MetricSample("flow", 0.2)], RejectionReason.None) { Cumulative = 1.5m }],
            []).AsImmutable());

        await fixture.Cluster.DeactivateAsync(grain);

        var line = Assert.Single(fixture.Sink.Lines, l => l.StartsWith("citysense_community,district=wr-d,community=wr-c,kind=water ", StringComparison.Ordinal));
        Assert.EndsWith($" {window}", line);
        Assert.Contains("consumption=1.5,", line);
        Assert.Contains("accepted=1i", line);
        Assert.Contains("flow_sum=0.2", line);
    }

    [Fact]
    public async Task A_community_keeps_its_own_number_of_windows_and_its_district_the_general_one()
    {
        var (pipeline, worker, _) = NewIngest(new DeviceOptions());
        const long ts = 1_764_201_600_000;
        var applied = new List<Task>();
        for (var minute = 0; minute < 20; minute++)
        {
            applied.Add((await pipeline.SubmitAsync("city/wk-d/wk-c/water/wk-w1", Bytes($$"""{"ts":{{ts + (minute * 60_000)}},"total":{{100 + minute}}.000}"""), null)).Applied);
        }

        await worker.StartAsync(CancellationToken.None);
        await Task.WhenAll(applied).WaitAsync(TimeSpan.FromSeconds(30));
        await worker.StopAsync(CancellationToken.None);

        // Defaults: Indicators:CommunityWindowsKept 7, Indicators:WindowsKept 60. Every window is still in memory here
        // (the fixture's flush interval is an hour, and only written windows are dropped): asking for 60 shows what each
        // level keeps at most.
        var options = new IndicatorOptions();
        var community = Assert.Single((await fixture.Cluster.Client.GetGrain<ICommunityGrain>(AreaKeys.Community("wk-d", "wk-c")).GetSnapshotWithWindows(60)).Kinds);
        Assert.Equal(options.CommunityWindowsKept, community.Windows.Length);
        Assert.Equal(ts + (19 * 60_000), community.Windows.Max(w => w.StartMs));
        var district = Assert.Single((await fixture.Cluster.Client.GetGrain<IDistrictGrain>("wk-d").GetSnapshotWithWindows(60)).Kinds);
        Assert.Equal(20, district.Windows.Length);
        Assert.Equal(19m, district.Consumption);
    }

    /// <summary>The real pipeline, worker and router, in process, against the test cluster.</summary>
    private (IngestPipeline Pipeline, IngestWorker Worker, RejectionLog Rejections) NewIngest(DeviceOptions devices)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var ingest = Options.Create(new IngestOptions());
        var rejections = new RejectionLog(ingest, TimeProvider.System, NullLogger<RejectionLog>.Instance, meters);
        var decoder = new TelemetryDecoder(new AddressBook(new StringInterner()), rejections, ingest, TimeProvider.System);
        var stats = new IngestStats(meters);
        var pipeline = new IngestPipeline(decoder, stats, ingest);
        var router = new HierarchyRouter(fixture.Cluster.Client, new RecordingLineSink(), Options.Create(new IndicatorOptions()), Options.Create(new InfluxOptions()),
            Options.Create(new RoutingOptions()), Options.Create(devices), NullLogger<HierarchyRouter>.Instance);
        var worker = new IngestWorker(pipeline, router, stats, rejections, NullLogger<IngestWorker>.Instance);
        return (pipeline, worker, rejections);
    }

    private static ReadOnlySequence<byte> Bytes(string s) => new(Encoding.UTF8.GetBytes(s));
}
