using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Routing;

/// <summary>
/// Device state, step one of a batch: one call per shard grain (<see cref="DeviceShards"/>) with the readings of its
/// devices in the batch. The per-shard bookkeeping arrays are reused across batches. Used by one batch at a time.
/// </summary>
internal sealed class ShardDispatch(GrainReferences grains, GrainCalls calls, int shardCount)
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
        var results = await calls.CallAllAsync(batches.Length, s => grains.Shard(shardIds[s]).Apply(batches[s].AsImmutable()));
        var updates = new DeviceUpdate[devices.Length][];
        for (var d = 0; d < devices.Length; d++)
        {
            updates[d] = results[shardOf[d]].Value[position[d]];
        }

        return updates;
    }
}
