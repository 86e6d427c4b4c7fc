using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Registry;
using CitySense.Contracts.Telemetry;
using Orleans.Core.Internal;
using Xunit;

namespace CitySense.GrainTests;

[Collection(ClusterCollection.Name)]
public sealed class RegistryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_provisioned_device_counts_as_registered_and_offline_until_it_reports()
    {
        var device = fixture.Cluster.Client.GetGrain<IDeviceGrain>("rg-w1");
        var result = await device.Provision(new DeviceRegistration("rg-d", "rg-c", "water", 9999.999m, TimeSpan.FromMinutes(5), new() { ["building"] = "7" }));

        Assert.Equal(RegistryOutcome.Ok, result.Outcome);
        var community = fixture.Cluster.Client.GetGrain<ICommunityGrain>(AreaKeys.Community("rg-d", "rg-c"));
        var counts = Assert.Single((await community.GetSnapshot()).Summary.Devices);
        Assert.Equal((1L, 0L, 0L, 1L), (counts.Registered, counts.Reporting, counts.Online, counts.Offline));
        Assert.Contains("rg-c", (await fixture.Cluster.Client.GetGrain<IDistrictGrain>("rg-d").GetSnapshot()).Children);

        // The provisioned register maximum drives rollover: 9999.990 → 9999.999 → 0.000 → 0.010 is 0.009 + 0.001 + 0.010 m³.
        var now = fixture.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var address = new DeviceAddress("rg-d", "rg-c", "water", "rg-w1");
        var updates = (await device.Apply(address, new[] { Reading(now, 9999.990), Reading(now + 1000, 0.010) }.AsImmutable())).Value;
        Assert.Equal([0m, 0.020m], updates.Select(u => u.ConsumptionDelta));
    }

    [Fact]
    public async Task A_moved_device_counts_in_its_new_community_and_is_refused_under_the_old_one()
    {
        var device = fixture.Cluster.Client.GetGrain<IDeviceGrain>("mv-w1");
        var now = fixture.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var old = new DeviceAddress("mv-d", "old", "water", "mv-w1");
        await device.Apply(old, new[] { Reading(now, 100) }.AsImmutable());

        var moved = await device.Move("mv-d", "new");

        Assert.Equal((RegistryOutcome.Ok, "new"), (moved.Outcome, moved.Profile!.Community));
        var oldCommunity = fixture.Cluster.Client.GetGrain<ICommunityGrain>(AreaKeys.Community("mv-d", "old"));
        var newCommunity = fixture.Cluster.Client.GetGrain<ICommunityGrain>(AreaKeys.Community("mv-d", "new"));
        Assert.Empty((await oldCommunity.GetSnapshot()).Summary.Devices);
        Assert.Equal(1, Assert.Single((await newCommunity.GetSnapshot()).Summary.Devices).Registered);

        var fromOld = (await device.Apply(old, new[] { Reading(now + 1000, 101) }.AsImmutable())).Value;
        var fromNew = (await device.Apply(new DeviceAddress("mv-d", "new", "water", "mv-w1"), new[] { Reading(now + 2000, 102) }.AsImmutable())).Value;
        Assert.Equal(RejectionReason.DeviceRegisteredElsewhere, Assert.Single(fromOld).Rejection);
        // The register baseline travels with the meter: 100 → 102.
        Assert.Equal(2m, Assert.Single(fromNew).ConsumptionDelta);
    }

    [Fact]
    public async Task A_moved_device_takes_its_latest_flow_out_of_its_old_community_district_and_city()
    {
        var device = fixture.Cluster.Client.GetGrain<IDeviceGrain>("mf-w1");
        var now = fixture.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var old = new DeviceAddress("mf-d", "old", "water", "mf-w1");
        var update = Assert.Single((await device.Apply(old, new[] { Reading(now, 100) }.AsImmutable())).Value);
        var oldCommunity = fixture.Cluster.Client.GetGrain<ICommunityGrain>(AreaKeys.Community("mf-d", "old"));
        var district = fixture.Cluster.Client.GetGrain<IDistrictGrain>("mf-d");
        // As the ingest worker does: the district gets the community's batch as a part, with the community's totals.
        var communityBatch = new IndicatorBatch([update], []);
        var totals = await oldCommunity.Apply(communityBatch.AsImmutable());
        await district.Apply(new IndicatorBatch([], []) { Parts = [communityBatch], Totals = totals }.AsImmutable());

        await device.Move("mf-d", "new");

        Assert.Equal(0.0, Assert.Single((await oldCommunity.GetSnapshot()).Kinds).FlowSum);
        Assert.Equal(0.0, Assert.Single((await district.GetSnapshot()).Kinds).FlowSum);
        // At the new place the next reading brings its whole flow and counts the device as first seen there.
        var next = Assert.Single((await device.Apply(new DeviceAddress("mf-d", "new", "water", "mf-w1"), new[] { Reading(now + 1000, 101) }.AsImmutable())).Value);
        Assert.Equal(0.1, next.FlowDelta);
        Assert.True(next.Flags.HasFlag(DeviceUpdateFlags.FirstSeen));
    }

    [Fact]
    public async Task A_decommissioned_device_is_refused_and_no_longer_counted()
    {
        var device = fixture.Cluster.Client.GetGrain<IDeviceGrain>("dc-g1");
        await device.Provision(new DeviceRegistration("dc-d", "dc-c", "gas", null, null, null));

        var result = await device.Decommission();

        Assert.True(result.Profile!.Decommissioned);
        var refused = (await device.Apply(new DeviceAddress("dc-d", "dc-c", "gas", "dc-g1"), new[] { Reading(fixture.Time.GetUtcNow().ToUnixTimeMilliseconds(), 5) }.AsImmutable())).Value;
        Assert.Equal(RejectionReason.DeviceDecommissioned, Assert.Single(refused).Rejection);
        Assert.Empty((await fixture.Cluster.Client.GetGrain<ICommunityGrain>(AreaKeys.Community("dc-d", "dc-c")).GetSnapshot()).Summary.Devices);
        Assert.Equal(RegistryOutcome.Conflict, (await device.Provision(new DeviceRegistration("dc-d", "dc-c", "gas", null, null, null))).Outcome);
    }

    [Fact]
    public async Task A_provisioned_and_a_decommissioned_device_are_held_to_their_records_after_their_shards_are_lost()
    {
        var client = fixture.Cluster.Client;
        var meter = client.GetGrain<IDeviceGrain>("rs-w1");
        await meter.Provision(new DeviceRegistration("rs-d", "rs-c", "water", null, null, null));
        var retired = client.GetGrain<IDeviceGrain>("rs-g1");
        await retired.Provision(new DeviceRegistration("rs-d", "rs-c", "gas", null, null, null));
        await retired.Decommission();

        // The shards load both again from their registry records (the device grains are not asked).
        foreach (var id in new[] { "rs-w1", "rs-g1" })
        {
            await DeviceShards.Grain(client, id, DeviceShards.DefaultCount).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        }

        var now = fixture.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var shard = DeviceShards.Grain(client, "rs-w1", DeviceShards.DefaultCount);
        var elsewhere = (await shard.Apply(new ShardBatch([new DeviceAddress("rs-d", "other", "water", "rs-w1")], [[Reading(now, 1)]]).AsImmutable())).Value;
        Assert.Equal(RejectionReason.DeviceRegisteredElsewhere, Assert.Single(elsewhere[0]).Rejection);
        var gas = DeviceShards.Grain(client, "rs-g1", DeviceShards.DefaultCount);
        var decommissioned = (await gas.Apply(new ShardBatch([new DeviceAddress("rs-d", "rs-c", "gas", "rs-g1")], [[Reading(now, 1)]]).AsImmutable())).Value;
        Assert.Equal(RejectionReason.DeviceDecommissioned, Assert.Single(decommissioned[0]).Rejection);
        // Registered, so found before its first reading; where its record says.
        Assert.Equal(RejectionReason.None, Assert.Single((await meter.Apply(new DeviceAddress("rs-d", "rs-c", "water", "rs-w1"), new[] { Reading(now, 2) }.AsImmutable())).Value).Rejection);
        Assert.Equal("rs-c", (await meter.GetSnapshot())!.Community);
    }

    [Fact]
    public async Task Provisioning_a_device_registered_elsewhere_is_a_conflict_that_points_to_move()
    {
        var device = fixture.Cluster.Client.GetGrain<IDeviceGrain>("cf-w1");
        await device.Apply(new DeviceAddress("cf-d", "here", "water", "cf-w1"), new[] { Reading(fixture.Time.GetUtcNow().ToUnixTimeMilliseconds(), 1) }.AsImmutable());

        var result = await device.Provision(new DeviceRegistration("cf-d", "there", "water", null, null, null));

        Assert.Equal(RegistryOutcome.Conflict, result.Outcome);
        Assert.Contains("move", result.Error);
    }

    private static DeviceReading Reading(long ts, double total) =>
        new(ts, 0, false, ts, [new MetricSample("total", total), new MetricSample("flow", 0.1)]);
}
