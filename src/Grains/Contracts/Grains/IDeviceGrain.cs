using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Grains;

/// <summary>One grain per device, keyed by device id (ids are unique city-wide).</summary>
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies the readings of one ingest batch, in the order given, and returns one update per reading.
    /// The device registers itself to <paramref name="address"/> on its first reading.
    /// </summary>
    Task<Immutable<DeviceUpdate[]>> Apply(DeviceAddress address, Immutable<DeviceReading[]> readings);

    /// <summary>Null when the device never sent an accepted reading.</summary>
    Task<DeviceSnapshot?> GetSnapshot();
}
