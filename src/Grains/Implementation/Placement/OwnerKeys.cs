using CitySense.Contracts.Devices;

namespace CitySense.Grains.Placement;

/// <summary>
/// What decides where the ingest path's grains live (<see cref="OwnerPlacement"/>): a device shard by its number, a
/// community and a district by their district. A district's communities live with their district, so the district's
/// fold of its communities' batches never crosses silos.
/// </summary>
public static class OwnerKeys
{
    public static string Shard(long shard) => string.Concat("shard:", shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A district's key, or a community's ("district/community"): the district.</summary>
    public static string Area(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? key : key[..slash];
    }

    /// <summary>The owner key of a grain placed by <see cref="OwnerPlacement"/>.</summary>
    public static string Of(GrainId grain, bool shard) =>
        shard ? Shard(grain.GetIntegerKey()) : Area(grain.Key.ToString()!);

    /// <summary>The owner key of the shard a device's state is in.</summary>
    public static string ShardOf(string device, int shards) => Shard(DeviceShards.Of(device, shards));
}
