namespace CitySense.Contracts.Grains;

/// <summary>
/// Which shard grain holds a device's state. The hash is FNV-1a over the id's UTF-16 code units: stable across
/// processes and silos (string.GetHashCode is randomized per process), cheap, and well spread for ids that differ only
/// in their last characters ("w-000001", "w-000002", ...).
/// </summary>
public static class DeviceShards
{
    /// <summary>Default of <c>Devices:Shards</c>.</summary>
    public const int DefaultCount = 128;

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
