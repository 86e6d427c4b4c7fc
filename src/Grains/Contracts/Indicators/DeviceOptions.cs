using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;

namespace CitySense.Contracts.Indicators;

/// <summary>How device state is hosted. Section "Devices".</summary>
public sealed class DeviceOptions
{
    public const string Section = "Devices";

    /// <summary>
    /// Shard grains holding device state (a device's shard is a hash of its id). Every silo of a cluster must use the
    /// same value: change it with the whole cluster stopped, and a device that lands in another shard carries on from
    /// its community's ledger, as after a silo failure (docs/operations.md). Silos running with different values at
    /// once would keep a device in two shards.
    /// </summary>
    public int Shards { get; set; } = DeviceShards.DefaultCount;
}
