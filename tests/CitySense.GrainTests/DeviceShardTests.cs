using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using Orleans.Core.Internal;
using Xunit;

namespace CitySense.GrainTests;

/// <summary>Many devices in one shard grain: each keeps its own state, and all of them survive the shard's loss.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeviceShardTests(ClusterFixture fixture)
{
    private const long T0 = 1_764_115_200_000;

    [Fact]
    public async Task Devices_of_one_shard_keep_their_own_state_and_carry_on_from_their_communities_after_the_shard_is_lost()
    {
        var client = fixture.Cluster.Client;
        // Three devices that hash to the same shard, two of them in one community and one in another.
        var ids = Enumerable.Range(0, 10_000).Select(i => $"sh-w{i}")
            .GroupBy(id => DeviceShards.Of(id, DeviceShards.DefaultCount)).First(g => g.Count() >= 3).Take(3).ToArray();
        var addresses = new[]
        {
            new DeviceAddress("sh-d", "sh-c1", "water", ids[0]),
            new DeviceAddress("sh-d", "sh-c1", "water", ids[1]),
            new DeviceAddress("sh-d", "sh-c2", "water", ids[2]),
        };
        var shard = DeviceShards.Grain(client, ids[0], DeviceShards.DefaultCount);

        var first = await ApplyAsync(shard, addresses, [(T0, 10.000), (T0, 20.000), (T0, 30.000)], [(T0 + 60_000, 10.100), (T0 + 60_000, 20.200), (T0 + 60_000, 30.300)]);
        Assert.Equal([0.1m, 0.2m, 0.3m], first.Select(u => u[1].ConsumptionDelta));

        await shard.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        // Redelivered second readings count as duplicates; the third are measured from the restored baselines.
        var second = await ApplyAsync(shard, addresses, [(T0 + 60_000, 10.100), (T0 + 60_000, 20.200), (T0 + 60_000, 30.300)], [(T0 + 120_000, 10.150), (T0 + 120_000, 20.250), (T0 + 120_000, 30.350)]);
        Assert.All(second, u => Assert.True(u[0].Flags.HasFlag(DeviceUpdateFlags.Duplicate)));
        Assert.Equal([0.05m, 0.05m, 0.05m], second.Select(u => u[1].ConsumptionDelta));

        for (var i = 0; i < ids.Length; i++)
        {
            var snapshot = (await client.GetGrain<IDeviceGrain>(ids[i]).GetSnapshot())!;
            Assert.Equal(addresses[i].Community, snapshot.Community);
            Assert.Equal(new[] { 0.15m, 0.25m, 0.35m }[i], snapshot.Consumption);
        }
    }

    [Fact]
    public async Task A_query_for_a_device_never_seen_finds_nothing()
    {
        var client = fixture.Cluster.Client;
        Assert.Null(await client.GetGrain<IDeviceGrain>("sh-never").GetSnapshot());
        Assert.Null(await client.GetGrain<IDeviceGrain>("sh-never").GetProfile());
    }

    /// <summary>Each pair of readings applied in one shard call, then counted by the devices' communities.</summary>
    private async Task<DeviceUpdate[][]> ApplyAsync(IDeviceShardGrain shard, DeviceAddress[] addresses, (long Ts, double Total)[] a, (long Ts, double Total)[] b)
    {
        var readings = addresses.Select((_, i) => new[] { Reading(a[i].Ts, a[i].Total), Reading(b[i].Ts, b[i].Total) }).ToArray();
        var updates = (await shard.Apply(new ShardBatch(addresses, readings).AsImmutable())).Value;
        foreach (var community in addresses.Select((x, i) => (x.CommunityKey, i)).GroupBy(x => x.CommunityKey))
        {
            var batch = new IndicatorBatch(community.SelectMany(x => updates[x.i]).ToArray(), []);
            await fixture.Cluster.Client.GetGrain<ICommunityGrain>(community.Key).Apply(batch.AsImmutable());
        }

        return updates;
    }

    private static DeviceReading Reading(long ts, double total) => new(ts, (ulong)ts, true, ts, [new MetricSample("total", total)]);
}
