using CitySense.Contracts.Alarms;
using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Registry;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace CitySense.Grains.Devices;

/// <summary>
/// Keeps a device's register baseline, latest reading and alarms, and its registry profile. The profile is persisted
/// (storage "registry", <see cref="RegistryRecord"/>) on every operator change; runtime state is in memory, so once the
/// device has data it is not collected when idle.
/// </summary>
public sealed class DeviceGrain(
    IOptions<IndicatorOptions> options,
    IOptions<RegisterOptions> registers,
    IOptions<AlarmOptions> alarms,
    TimeProvider time) : Grain, IDeviceGrain
{
    private readonly DeviceState _state = new(options.Value, registers.Value, new AlarmEvaluator(alarms.Value, CityTimeZone.Of(alarms.Value)));
    private bool _restoreChecked;
    // Null while the device has no stored profile (most devices: they register by their first reading).
    private RegistryRecord? _registry;

    private string Id => this.GetPrimaryKeyString();

    private IGrainStorage RegistryStorage => ServiceProvider.GetRequiredKeyedService<IGrainStorage>("registry");

    /// <summary>The record an operator change writes: the stored one, or a new one.</summary>
    private RegistryRecord Registry => _registry ??= RegistryRecord.New(RegistryStorage, this.GetGrainId());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _registry = await RegistryRecord.ReadAsync(RegistryStorage, this.GetGrainId());
        if (_registry?.Stored is { } p)
        {
            _state.PlaceAt(new DeviceAddress(p.District, p.Community, p.Kind, Id));
            _state.SetRegisterMax(p.RegisterMax);
            if (p.Decommissioned)
            {
                _state.Decommission();
            }
            else if (p.Provisioned)
            {
                // On a single node rosters live in memory: after a restart the community learns its provisioned devices
                // again, so a silent one still counts as registered (and offline). The silo activates them all at start-up.
                this.DelayDeactivation(GrainLifetime.WithData);
                await AnnounceAsync(p.District, p.Community, p.Kind, p.ExpectedInterval);
            }
        }
    }

    public Task<Immutable<DeviceUpdate[]>> Apply(DeviceAddress address, Immutable<DeviceReading[]> readings) =>
        _restoreChecked ? Task.FromResult(ApplyNow(address, readings)) : RestoreThenApply(address, readings);

    /// <summary>
    /// First batch of this activation. Runtime state is not stored per reading: if this device's silo died, its
    /// community's ledger says what was last counted of it, and the device carries on from there (docs/operations.md).
    /// </summary>
    private async Task<Immutable<DeviceUpdate[]>> RestoreThenApply(DeviceAddress address, Immutable<DeviceReading[]> readings)
    {
        await RestoreOnceAsync(address);
        return ApplyNow(address, readings);
    }

    /// <summary>
    /// Before the first reading or operator change of this activation: a device whose silo died carries on from what
    /// its community last counted of it (register baseline, total, newest reading, flow).
    /// </summary>
    private async Task RestoreOnceAsync(DeviceAddress? hint)
    {
        if (_restoreChecked)
        {
            return;
        }

        var home = _state.Address ?? hint;
        if (home is null)
        {
            // Not placed (no profile) and no reading yet: nothing to restore from until its first reading says where.
            return;
        }

        if (_state.IsFresh)
        {
            var checkpoint = await GrainFactory.GetGrain<ICommunityGrain>(home.CommunityKey).GetDeviceCheckpoint(Id);
            if (checkpoint is not null && _state.IsFresh)
            {
                _state.Restore(checkpoint);
            }
        }

        _restoreChecked = true;
    }

    private Immutable<DeviceUpdate[]> ApplyNow(DeviceAddress address, Immutable<DeviceReading[]> readings)
    {
        this.DelayDeactivation(GrainLifetime.WithData);
        var input = readings.Value;
        var updates = new DeviceUpdate[input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            updates[i] = _state.Apply(address, input[i]);
        }

        return updates.AsImmutable();
    }

    public async Task<DeviceSnapshot?> GetSnapshot()
    {
        await RestoreOnceAsync(null);
        return _state.ToSnapshot();
    }

    public Task<DeviceProfile?> GetProfile() => Task.FromResult(Current());

    public async Task<RegistryResult> Provision(DeviceRegistration registration)
    {
        if (_state.Decommissioned)
        {
            return new RegistryResult(RegistryOutcome.Conflict, Current(), "the device is decommissioned");
        }

        if (_state.Address is { } placed && (placed.District != registration.District || placed.Community != registration.Community || placed.Kind != registration.Kind))
        {
            return new RegistryResult(RegistryOutcome.Conflict, Current(),
                $"the device is registered at {placed.District}/{placed.Community} as {placed.Kind}: move it (POST .../move) instead; its kind cannot change");
        }

        var p = Registry.Editable;
        p.District = registration.District;
        p.Community = registration.Community;
        p.Kind = registration.Kind;
        p.RegisterMax = registration.RegisterMax;
        p.ExpectedInterval = registration.ExpectedInterval;
        p.Tags = registration.Tags is null ? new(StringComparer.Ordinal) : new(registration.Tags, StringComparer.Ordinal);
        p.Provisioned = true;
        await SaveAsync();
        _state.PlaceAt(new DeviceAddress(p.District, p.Community, p.Kind, Id));
        _state.SetRegisterMax(p.RegisterMax);
        await AnnounceAsync(p.District, p.Community, p.Kind, p.ExpectedInterval);
        return new RegistryResult(RegistryOutcome.Ok, Current(), null);
    }

    public async Task<RegistryResult> Move(string district, string community)
    {
        await RestoreOnceAsync(null);
        if (Current() is not { } current)
        {
            return new RegistryResult(RegistryOutcome.NotFound, null, "the device is not registered");
        }

        if (current.Decommissioned)
        {
            return new RegistryResult(RegistryOutcome.Conflict, current, "the device is decommissioned");
        }

        var from = (current.District, current.Community);
        if (from == (district, community))
        {
            return new RegistryResult(RegistryOutcome.Ok, current, null);
        }

        var p = Registry.Editable;
        p.District = district;
        p.Community = community;
        p.Kind = current.Kind;
        p.ExpectedInterval ??= current.ExpectedInterval;
        p.Provisioned = true;
        await SaveAsync();
        // Aggregates follow from now on: the old community stops counting the device, the new one starts. Windows
        // already counted stay where they were (history is not rewritten); the register baseline travels with the meter.
        var flow = _state.MoveTo(new DeviceAddress(district, community, p.Kind, Id));
        await LeaveAsync(from.District, from.Community, p.Kind, flow);
        await AnnounceAsync(district, community, p.Kind, p.ExpectedInterval);
        return new RegistryResult(RegistryOutcome.Ok, Current(), null);
    }

    public async Task<RegistryResult> RecordReplacement()
    {
        await RestoreOnceAsync(null);
        if (Current() is not { } current)
        {
            return new RegistryResult(RegistryOutcome.NotFound, null, "the device is not registered");
        }

        if (current.Decommissioned)
        {
            return new RegistryResult(RegistryOutcome.Conflict, current, "the device is decommissioned");
        }

        _state.RecordReplacement();
        return new RegistryResult(RegistryOutcome.Ok, current, null);
    }

    public async Task<RegistryResult> Decommission()
    {
        await RestoreOnceAsync(null);
        if (Current() is not { } current)
        {
            return new RegistryResult(RegistryOutcome.NotFound, null, "the device is not registered");
        }

        var p = Registry.Editable;
        p.District = current.District;
        p.Community = current.Community;
        p.Kind = current.Kind;
        p.Decommissioned = true;
        await SaveAsync();
        var flow = _state.Decommission();
        await LeaveAsync(p.District, p.Community, p.Kind, flow);
        return new RegistryResult(RegistryOutcome.Ok, Current(), null);
    }

    /// <summary>The persisted profile, or the one a first reading implied (not persisted: the next reading implies it again).</summary>
    private DeviceProfile? Current()
    {
        if (_registry?.Stored is { } stored)
        {
            return stored;
        }

        return _state.Address is { } a ? new DeviceProfile { District = a.District, Community = a.Community, Kind = a.Kind } : null;
    }

    private async Task SaveAsync()
    {
        this.DelayDeactivation(GrainLifetime.WithData);
        Registry.Editable.ChangedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await Registry.WriteAsync();
    }

    /// <summary>The device no longer counts in its old community, and its latest flow leaves every level's flow sum.</summary>
    private async Task LeaveAsync(string district, string community, string kind, double flow)
    {
        var old = GrainFactory.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community));
        await old.RemoveDevice(Id);
        if (flow != 0)
        {
            // The community passes its new flow sum on to the district and the city.
            await old.AdjustFlow(kind, -flow);
        }
    }

    private async Task AnnounceAsync(string district, string community, string kind, TimeSpan? expectedInterval)
    {
        await GrainFactory.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community)).AddDevice(Id, kind, expectedInterval);
        await GrainFactory.GetGrain<IDistrictGrain>(district).RegisterCommunity(community);
        await GrainFactory.GetGrain<ICityGrain>(AreaKeys.City).RegisterDistrict(district);
    }
}
