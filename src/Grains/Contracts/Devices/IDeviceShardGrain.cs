using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Devices;

/// <summary>
/// Holds the runtime state of every device whose id hashes to it (<see cref="DeviceShards"/>): register baselines,
/// recent readings, latest values, alarm rules. One activation per shard instead of one per device, because an Orleans
/// activation costs about 2.1 KB of its own before any device state (docs/performance.md, item 12). The device grain
/// stays each device's address for the registry and for queries, and calls its shard for the state.
/// </summary>
public interface IDeviceShardGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Applies the readings of one ingest batch for the shard's devices in it, each device's in the order given, and
    /// returns one update per reading, per device in the order of <see cref="ShardBatch.Devices"/>. A device registers
    /// itself to its address on its first reading.
    /// </summary>
    Task<Immutable<DeviceUpdate[][]>> Apply(Immutable<ShardBatch> batch);

    /// <summary>
    /// Null when the device never sent an accepted reading. <paramref name="registered"/>: the device has a registry
    /// record (its device grain knows), so the shard loads it if need be; an id without one is answered from what is
    /// loaded, without reading storage in the shard's turn or keeping anything.
    /// </summary>
    Task<DeviceSnapshot?> GetSnapshot(string device, bool registered);

    /// <summary>Where the device is counted (from its registry record or its first reading), and whether it left service.</summary>
    Task<DevicePlacement> GetPlacement(string device, bool registered);

    /// <summary>
    /// Provisioning: places the device at <paramref name="address"/> unless it is decommissioned or counted at another
    /// place or as another kind, in one turn (a reading cannot register it elsewhere in between). Returns where it is
    /// when that refuses, null when it was placed.
    /// </summary>
    Task<DevicePlacement?> TryPlace(string device, DeviceAddress address, decimal? registerMax);

    /// <summary>The device moved; returns the flow its old community must give back.</summary>
    Task<double> Move(string device, DeviceAddress address);

    /// <summary>The device left service; returns the flow its community must give back.</summary>
    Task<double> Decommission(string device);

    /// <summary>An operator accepted a held reading: the device counts its step now; returns the update that releases it.</summary>
    Task<Immutable<CitySense.Contracts.Indicators.DeviceUpdate>> ReleaseSuspect(string device, DeviceAddress address, CitySense.Contracts.Vee.SuspectReading suspect);

    /// <summary>The meter was replaced or reset: its next reading starts a new register baseline.</summary>
    Task RecordReplacement(string device);
}
