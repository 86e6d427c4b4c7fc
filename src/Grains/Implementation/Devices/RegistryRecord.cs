using CitySense.Contracts.Registry;
using Orleans.Storage;

namespace CitySense.Grains.Devices;

/// <summary>
/// A device's registry profile in grain storage "registry" (state name "profile", as the [PersistentState] facet used
/// before, so stored registries read back unchanged). Read once on activation; the device grain keeps one only when a
/// record exists or an operator changes the device.
/// Not a facet because a facet costs every activation its wrapper, an empty profile with its tag dictionary and the
/// grain lifecycle it subscribes to (about 550 B, seen in a heap dump at 200 000 devices), and most devices register
/// by their first reading and never have a record.
/// </summary>
internal sealed class RegistryRecord(IGrainStorage storage, GrainId grain, GrainState<DeviceProfile> record)
{
    private const string StateName = "profile";

    /// <summary>The stored record, or null when there is none.</summary>
    public static async Task<RegistryRecord?> ReadAsync(IGrainStorage storage, GrainId grain)
    {
        // No profile to read into: a new one (with its tag dictionary) would be garbage for every device without a record,
        // and storages set the state they read. Editable supplies one when a record came back without a body.
        var record = new GrainState<DeviceProfile>();
        await storage.ReadStateAsync(StateName, grain, record);
        return record.RecordExists ? new RegistryRecord(storage, grain, record) : null;
    }

    /// <summary>A record not stored yet: <see cref="Stored"/> is null until <see cref="WriteAsync"/> succeeds.</summary>
    public static RegistryRecord New(IGrainStorage storage, GrainId grain) => new(storage, grain, new GrainState<DeviceProfile>(new DeviceProfile()));

    /// <summary>The stored profile, or null when it was never written.</summary>
    public DeviceProfile? Stored => record.RecordExists ? Editable : null;

    /// <summary>The profile to change before <see cref="WriteAsync"/>.</summary>
    // A storage may read a record back without a body; there is always a profile to change.
    public DeviceProfile Editable => record.State ??= new DeviceProfile();

    public Task WriteAsync() => storage.WriteStateAsync(StateName, grain, record);
}
