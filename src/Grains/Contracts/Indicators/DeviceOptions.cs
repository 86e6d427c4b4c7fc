using CitySense.Contracts.Grains;

namespace CitySense.Contracts.Indicators;

/// <summary>How device state is hosted. Section "Devices".</summary>
public sealed class DeviceOptions
{
    public const string Section = "Devices";

    /// <summary>
    /// Shard grains holding device state (a device's shard is a hash of its id). Every silo of a cluster must use the
    /// same value. Changing it between runs is safe: a device that lands in another shard carries on from its
    /// community's ledger, as after a silo failure (docs/operations.md).
    /// </summary>
    public int Shards { get; set; } = DeviceShards.DefaultCount;
}
