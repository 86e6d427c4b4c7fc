namespace CitySense.Contracts.Devices;

/// <summary>
/// Which shard grain holds a device's state. The hash is FNV-1a over the id's UTF-16 code units: stable across
/// processes and silos (string.GetHashCode is randomized per process), cheap, and well spread for ids that differ only
/// in their last characters ("w-000001", "w-000002", ...).
/// </summary>
public static class DeviceShards
{
    /// <summary>
    /// Default of <c>Devices:Shards</c>. Every shard a batch touches costs one grain call, and a batch of a few hundred
    /// readings from a thousand devices touches nearly all of them: 32 shards took 15 % less silo CPU per reading than 128
    /// under gateway load and 8 % less under single-reading messages (benchmarks/RESULTS.md §17); 16 and 8 were slower
    /// again for single-reading messages. 32 still gives a busy silo more shard calls in flight than cores.
    /// </summary>
    public const int DefaultCount = 32;

    public static int Of(string device, int count)
    {
        var hash = 2166136261u;
        foreach (var c in device)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)count);
    }

    public static IDeviceShardGrain Grain(IGrainFactory grains, string device, int count) =>
        grains.GetGrain<IDeviceShardGrain>(Of(device, count));
}
