using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using Orleans.Core.Internal;
using Xunit;

namespace CitySense.GrainTests;

/// <summary>
/// Grains that lose their activation (here deactivated; in a cluster their silo dies) carry on where their stored state
/// and their community's ledger say, through Orleans serialization and grain storage.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecoveryTests(ClusterFixture fixture)
{
    private const long T0 = 1_764_115_200_000;

    [Fact]
    public async Task A_device_and_its_community_reactivated_count_a_redelivered_reading_once_and_go_on_from_the_baseline()
    {
        var address = new DeviceAddress("rc-d1", "rc-c1", "water", "rc-w1");
        var client = fixture.Cluster.Client;
        var device = client.GetGrain<IDeviceGrain>(address.Device);
        var community = client.GetGrain<ICommunityGrain>(address.CommunityKey);
        var first = (await device.Apply(address, new[] { Reading(T0, 1, 100.000), Reading(T0 + 30_000, 2, 100.250) }.AsImmutable())).Value;
        var totals = await community.Apply(new IndicatorBatch(first, []).AsImmutable());
        Assert.Equal(0.25m, Assert.Single(totals).Total);

        // Device state lives in the device's shard: that is the activation a silo failure would take with it.
        await DeviceShards.Grain(client, address.Device, DeviceShards.DefaultCount).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await community.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        // The broker redelivers reading 2 (its acknowledgement was lost), and reading 3 is new.
        var second = (await device.Apply(address, new[] { Reading(T0 + 30_000, 2, 100.250), Reading(T0 + 60_000, 3, 100.600) }.AsImmutable())).Value;
        Assert.Equal(DeviceUpdateFlags.Duplicate, second[0].Flags & DeviceUpdateFlags.Duplicate);
        Assert.Equal(0.35m, second[1].ConsumptionDelta);
        totals = await community.Apply(new IndicatorBatch(second, []).AsImmutable());

        Assert.Equal(0.6m, Assert.Single(totals).Total);
        var snapshot = (await device.GetSnapshot())!;
        Assert.Equal(0.6m, snapshot.Consumption);
        // A new activation indeed: the device's own reading counters start again (docs/operations.md), its consumption not.
        Assert.Equal(1, snapshot.Accepted);
        var water = Assert.Single((await community.GetSnapshot()).Kinds);
        Assert.Equal(0.6m, water.Consumption);
        // Windows survived the deactivation: 0.25 in the first minute, 0.35 in the second.
        Assert.Equal([0.35m, 0.25m], water.Windows.Select(w => w.Consumption));
        Assert.Equal(3, water.Accepted);
        Assert.Equal(1, water.Duplicates);
    }

    [Fact]
    public async Task A_district_reactivated_keeps_its_windows_and_its_ledger()
    {
        var client = fixture.Cluster.Client;
        var district = client.GetGrain<IDistrictGrain>("rc-d2");
        var update = new DeviceUpdate("rc-w2", "water", T0, T0, 0.5m, 0, DeviceUpdateFlags.Latest, [], RejectionReason.None) { Cumulative = 0.5m };
        await district.Apply((new IndicatorBatch([update], []) with { Totals = [new SourceTotal("rc-d2/c", "water", 0.5m, 0.5m, T0)] }).AsImmutable());

        await district.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        // The same batch again (the community's acknowledgement was lost): the ledger takes its consumption back.
        await district.Apply((new IndicatorBatch([update], []) with { Totals = [new SourceTotal("rc-d2/c", "water", 0.5m, 0.5m, T0)] }).AsImmutable());

        var water = Assert.Single((await district.GetSnapshot()).Kinds);
        Assert.Equal(0.5m, water.Consumption);
        Assert.Equal(0.5m, Assert.Single(water.Windows).Consumption);
    }

    [Fact]
    public async Task A_retried_call_that_had_applied_is_answered_without_applying_the_batch_again()
    {
        var address = new DeviceAddress("rc-d3", "rc-c3", "water", "rc-w3");
        var client = fixture.Cluster.Client;
        var updates = (await client.GetGrain<IDeviceGrain>(address.Device).Apply(address, new[]
        {
            Reading(T0, 1, 10.0, flow: 2.0), Reading(T0 + 1_000, 2, 10.5, flow: 3.0),
        }.AsImmutable())).Value;
        var community = client.GetGrain<ICommunityGrain>(address.CommunityKey);
        var batch = new IndicatorBatch(updates, []) with { BatchId = "worker-a:7" };

        var first = await community.Apply(batch.AsImmutable());
        await community.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var retried = await community.Apply(batch.AsImmutable());

        Assert.Equal(first, retried);
        var water = Assert.Single((await community.GetSnapshot()).Kinds);
        Assert.Equal((2L, 0.5m, 3.0), (water.Accepted, water.Consumption!.Value, water.FlowSum!.Value));
    }

    [Fact]
    public async Task A_restored_device_changes_the_flow_sum_by_the_difference_only()
    {
        var address = new DeviceAddress("rc-d4", "rc-c4", "water", "rc-w4");
        var client = fixture.Cluster.Client;
        var device = client.GetGrain<IDeviceGrain>(address.Device);
        var community = client.GetGrain<ICommunityGrain>(address.CommunityKey);
        await community.Apply(new IndicatorBatch((await device.Apply(address, new[] { Reading(T0, 1, 10.0, flow: 5.0) }.AsImmutable())).Value, []).AsImmutable());

        await DeviceShards.Grain(client, address.Device, DeviceShards.DefaultCount).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await community.Apply(new IndicatorBatch((await device.Apply(address, new[] { Reading(T0 + 1_000, 2, 10.1, flow: 6.0) }.AsImmutable())).Value, []).AsImmutable());

        Assert.Equal(6.0, Assert.Single((await community.GetSnapshot()).Kinds).FlowSum);
    }

    private static DeviceReading Reading(long ts, ulong seq, double total, double? flow = null) =>
        new(ts, seq, true, ts, flow is { } f ? [new MetricSample("total", total), new MetricSample("flow", f)] : [new MetricSample("total", total)]);
}
