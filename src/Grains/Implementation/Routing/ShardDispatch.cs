using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Placement;

namespace CitySense.Grains.Routing;

/// <summary>
/// Device state, step one of a batch: one call per shard grain (<see cref="DeviceShards"/>) with the readings of its
/// devices in the batch; with several silos, the shards another silo owns in one call to that silo
/// (<see cref="ISiloIngestGrain"/>). The per-shard bookkeeping arrays are reused across batches. Used by one batch at a
/// time.
/// </summary>
internal sealed class ShardDispatch(GrainReferences grains, GrainCalls calls, GrainCalls localCalls, IngestOwners owners, int shardCount)
{
    // Per shard: its index among the shards of the batch, or -1 (reset after each batch, so it is all -1 between batches).
    private readonly int[] _shardSlot = Enumerable.Repeat(-1, shardCount).ToArray();
    // Per device of the batch: its shard's index among the batch's shards, and its position in that shard's arrays.
    // Reused across batches, like the per-device chains: a batch of single-reading messages may hold few readings.
    private int[] _shardOf = [];
    private int[] _position = [];
    private readonly List<int> _shardIds = [];
    private readonly List<int> _shardSizes = [];

    /// <summary>
    /// One call per shard grain (<see cref="DeviceShards"/>) with the readings of its devices in the batch; returns
    /// each device's updates, in the order of <paramref name="devices"/>. Calls that failed are retried whole: a device
    /// tells a repeated reading.
    /// </summary>
    public async Task<DeviceUpdate[][]> ApplyAsync(DeviceAddress[] devices, DeviceReading[][] inputs)
    {
        // Count the devices per shard, then fill arrays of exactly that size.
        if (_shardOf.Length < devices.Length)
        {
            _shardOf = new int[Math.Max(devices.Length, _shardOf.Length * 2)];
            _position = new int[_shardOf.Length];
        }

        var shardOf = _shardOf;
        var position = _position;
        var shardIds = _shardIds;
        var sizes = _shardSizes;
        shardIds.Clear();
        sizes.Clear();
        for (var d = 0; d < devices.Length; d++)
        {
            var shard = DeviceShards.Of(devices[d].Device, _shardSlot.Length);
            if (_shardSlot[shard] < 0)
            {
                _shardSlot[shard] = shardIds.Count;
                shardIds.Add(shard);
                sizes.Add(0);
            }

            shardOf[d] = _shardSlot[shard];
            sizes[shardOf[d]]++;
        }

        var batches = new ShardBatch[shardIds.Count];
        for (var s = 0; s < batches.Length; s++)
        {
            batches[s] = new ShardBatch(new DeviceAddress[sizes[s]], new DeviceReading[sizes[s]][]);
            sizes[s] = 0;
            _shardSlot[shardIds[s]] = -1;
        }

        for (var d = 0; d < devices.Length; d++)
        {
            var s = shardOf[d];
            position[d] = sizes[s]++;
            batches[s].Devices[position[d]] = devices[d];
            batches[s].Readings[position[d]] = inputs[d];
        }

        // The router applies one batch at a time, so the reused lists stay this batch's until the method returns.
        var view = owners.Current;
        var results = view.AllLocal
            ? await calls.CallAllAsync(batches.Length, s => grains.Shard(shardIds[s]).Apply(batches[s].AsImmutable()))
            : await ApplyPerOwnerAsync(view, shardIds, batches);
        var updates = new DeviceUpdate[devices.Length][];
        for (var d = 0; d < devices.Length; d++)
        {
            updates[d] = results[shardOf[d]].Value[position[d]];
        }

        return updates;
    }

    /// <summary>
    /// With several silos: this silo's shards are called directly, every other silo's in one call to that silo's
    /// <see cref="ISiloIngestGrain"/>, all at once; results in the order of <paramref name="batches"/>.
    /// </summary>
    private async Task<Immutable<DeviceUpdate[][]>[]> ApplyPerOwnerAsync(OwnerView view, List<int> shardIds, ShardBatch[] batches)
    {
        var groups = new Dictionary<int, List<int>>();
        for (var s = 0; s < batches.Length; s++)
        {
            var owner = view.OwnerOfShard(shardIds[s], shardCount);
            if (!groups.TryGetValue(owner, out var members))
            {
                groups[owner] = members = [];
            }

            members.Add(s);
        }

        var owners = groups.Keys.ToArray();
        var results = new Immutable<DeviceUpdate[][]>[batches.Length];
        await calls.ForEachWithRetryAsync(owners.Length, async g =>
        {
            var members = groups[owners[g]];
            if (owners[g] == view.Local)
            {
                var local = await localCalls.CallAllAsync(members.Count, m => grains.Shard(shardIds[members[m]]).Apply(batches[members[m]].AsImmutable()));
                for (var m = 0; m < members.Count; m++)
                {
                    results[members[m]] = local[m];
                }

                return;
            }

            var parts = members.Select(m => new ShardPart(shardIds[m], batches[m])).ToArray();
            var remote = (await grains.Silo(view.Silos[owners[g]]).ApplyShards(parts.AsImmutable())).Value;
            for (var m = 0; m < members.Count; m++)
            {
                results[members[m]] = remote[m].AsImmutable();
            }
        });
        return results;
    }
}
