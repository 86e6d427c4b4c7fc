using System.Buffers;
using System.Text;
using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Rejections;
using CitySense.Sinks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace CitySense.GrainTests;

/// <summary>The ingest pipeline and worker against a real (in-process) two-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IngestRoutingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_batch_of_single_and_gateway_messages_reaches_device_community_district_and_city_grains()
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var ingest = Options.Create(new IngestOptions());
        var rejections = new RejectionLog(ingest, TimeProvider.System, NullLogger<RejectionLog>.Instance, meters);
        var decoder = new TelemetryDecoder(new AddressBook(new StringInterner()), rejections, ingest, TimeProvider.System);
        var stats = new IngestStats(meters);
        var pipeline = new IngestPipeline(decoder, stats, ingest);
        var worker = new IngestWorker(pipeline, fixture.Cluster.Client, new RecordingLineSink(), stats, rejections,
            Options.Create(new IndicatorOptions()), Options.Create(new InfluxOptions()), ingest, Options.Create(new DeviceOptions()), NullLogger<IngestWorker>.Instance);

        const long ts = 1_764_115_200_000;
        var applied = new List<Task>
        {
            await pipeline.SubmitAsync("city/ir-d/ir-c/water/ir-w1", Bytes($$"""{"ts":{{ts}},"total":100.000,"flow":1.5}"""), null),
            await pipeline.SubmitAsync("city/ir-d/ir-c/gateway/gw1", Bytes($$"""[{"device":"ir-w2","kind":"water","ts":{{ts}},"total":50.000,"flow":0.5},{"device":"ir-w1","kind":"water","ts":{{ts + 60_000}},"total":100.250,"flow":1.0}]"""), null),
            await pipeline.SubmitAsync("city/ir-d/ir-c/water/ir-w2", Bytes($$"""{"ts":{{ts + 61_000}},"total":50.125}"""), null),
            await pipeline.SubmitAsync("city/ir-d/ir-c/water/ir-w2", Bytes("""{"ts":"yesterday","total":1}"""), null),
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

    private static ReadOnlySequence<byte> Bytes(string s) => new(Encoding.UTF8.GetBytes(s));
}
