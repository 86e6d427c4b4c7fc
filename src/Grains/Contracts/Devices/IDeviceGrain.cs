using CitySense.Contracts.Indicators;
using CitySense.Contracts.Registry;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Devices;

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

    /// <summary>Null when the device is neither provisioned nor registered by a reading.</summary>
    Task<DeviceProfile?> GetProfile();

    /// <summary>The device's suspect readings, held and decided (docs/history.md); empty when it has none or is unknown.</summary>
    Task<CitySense.Contracts.Vee.SuspectReading[]> GetSuspects();

    /// <summary>
    /// An operator accepts (its step counts, in its own hour) or rejects (it never counts) the held reading at
    /// <paramref name="timestampMs"/>; <paramref name="by"/> and <paramref name="comment"/> go to the audit trail.
    /// </summary>
    Task<CitySense.Contracts.Vee.SuspectDecision> DecideSuspect(long timestampMs, bool accept, string by, string? comment);

    /// <summary>Registers the device ahead of its first reading (or updates how it is read, in the same place).</summary>
    Task<RegistryResult> Provision(DeviceRegistration registration);

    /// <summary>Moves the device to another community: its readings count there from now on; history stays where it was.</summary>
    Task<RegistryResult> Move(string district, string community);

    /// <summary>The meter was replaced or reset: its next reading starts a new register baseline.</summary>
    Task<RegistryResult> RecordReplacement();

    /// <summary>The device leaves service: its readings are refused and it no longer counts in its community.</summary>
    Task<RegistryResult> Decommission();
}
