using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Registry;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace CitySense.Grains.Devices;

/// <summary>
/// A device's address for the registry and for queries. It owns the device's registry profile, persisted (storage
/// "registry", <see cref="RegistryRecord"/>) on every operator change, and tells the device's shard
/// (<see cref="IDeviceShardGrain"/>), which holds the device's runtime state, and its communities. Holding no runtime
/// state, it is collected when idle: ingest never activates it, so a million devices are not a million activations.
/// </summary>
public sealed class DeviceGrain(IOptions<DeviceOptions> devices, TimeProvider time) : Grain, IDeviceGrain
{
    // Null while the device has no stored profile (most devices: they register by their first reading).
    private RegistryRecord? _registry;

    private string Id => this.GetPrimaryKeyString();

    private IDeviceShardGrain Shard => DeviceShards.Grain(GrainFactory, Id, devices.Value.Shards);

    private IGrainStorage RegistryStorage => ServiceProvider.GetRequiredKeyedService<IGrainStorage>("registry");

    /// <summary>The record an operator change writes: the stored one, or a new one.</summary>
    private RegistryRecord Registry => _registry ??= RegistryRecord.New(RegistryStorage, this.GetGrainId());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _registry = await RegistryRecord.ReadAsync(RegistryStorage, this.GetGrainId());
        if (_registry?.Stored is { Provisioned: true, Decommissioned: false } p)
        {
            // On a single node rosters live in memory: after a restart the community learns its provisioned devices
            // again, so a silent one still counts as registered (and offline). The silo activates them all at start-up.
            await AnnounceAsync(p.District, p.Community, p.Kind, p.ExpectedInterval);
        }
    }

    /// <summary>Not the ingest path (the worker calls shards with many devices at once): for tools and tests.</summary>
    public async Task<Immutable<DeviceUpdate[]>> Apply(DeviceAddress address, Immutable<DeviceReading[]> readings) =>
        (await Shard.Apply(new ShardBatch([address], [readings.Value]).AsImmutable())).Value[0].AsImmutable();

    public Task<DeviceSnapshot?> GetSnapshot() => Shard.GetSnapshot(Id, Registered);

    public async Task<DeviceProfile?> GetProfile() => _registry?.Stored ?? Current(await PlacementAsync());

    public async Task<CitySense.Contracts.Vee.SuspectReading[]> GetSuspects() =>
        await CommunityAsync() is { } community ? await community.Grain.GetSuspects(Id) : [];

    /// <summary>
    /// Run here, not in the community: accepting asks the device's shard to release the reading, and a shard loading a
    /// device asks the community for its checkpoint, so the community must not be waiting on the shard meanwhile.
    /// </summary>
    public async Task<CitySense.Contracts.Vee.SuspectDecision> DecideSuspect(long timestampMs, bool accept, string by, string? comment)
    {
        if (await CommunityAsync() is not { } community
            || (await community.Grain.GetSuspects(Id)).FirstOrDefault(s => s.TimestampMs == timestampMs) is not { } suspect)
        {
            return new(CitySense.Contracts.Vee.SuspectOutcome.NotFound, null);
        }

        if (suspect.State != CitySense.Contracts.Vee.SuspectState.Held)
        {
            return new(CitySense.Contracts.Vee.SuspectOutcome.AlreadyDecided, suspect);
        }

        if (!accept)
        {
            return new(CitySense.Contracts.Vee.SuspectOutcome.Decided, await community.Grain.RejectSuspect(Id, timestampMs, by, comment));
        }

        var release = (await Shard.ReleaseSuspect(Id, new DeviceAddress(community.Profile.District, community.Profile.Community, suspect.Kind, Id), suspect)).Value;
        release = release with
        {
            Suspect = release.Suspect! with { DecidedBy = by, DecidedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(), Comment = comment },
        };
        var decided = await community.Grain.ApplyRelease(release.AsImmutable());
        return new(decided?.State == CitySense.Contracts.Vee.SuspectState.Accepted && decided.DecidedAtMs == release.Suspect.DecidedAtMs
            ? CitySense.Contracts.Vee.SuspectOutcome.Decided : CitySense.Contracts.Vee.SuspectOutcome.AlreadyDecided, decided);
    }

    private async Task<(DeviceProfile Profile, ICommunityGrain Grain)?> CommunityAsync() =>
        await GetProfile() is { Community.Length: > 0 } profile
            ? (profile, GrainFactory.GetGrain<ICommunityGrain>(AreaKeys.Community(profile.District, profile.Community)))
            : null;

    public async Task<RegistryResult> Provision(DeviceRegistration registration)
    {
        // Checked and placed in one shard turn, before the record is written: a first reading from elsewhere cannot
        // register the device in between. If the write then fails, the operator's retry finds it placed here already.
        var address = new DeviceAddress(registration.District, registration.Community, registration.Kind, Id);
        if (await Shard.TryPlace(Id, address, registration.RegisterMax) is { } placement)
        {
            if (placement.Decommissioned)
            {
                return new RegistryResult(RegistryOutcome.Conflict, Current(placement), "the device is decommissioned");
            }

            var placed = placement.Address!;
            return new RegistryResult(RegistryOutcome.Conflict, Current(placement),
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
        await AnnounceAsync(p.District, p.Community, p.Kind, p.ExpectedInterval);
        return new RegistryResult(RegistryOutcome.Ok, p, null);
    }

    public async Task<RegistryResult> Move(string district, string community)
    {
        // Loads the device in its shard from the record as it stands (and restores it from its old community) before
        // the move is stored. Until the shard has moved it (after the record is written), readings from the new place
        // are refused as from elsewhere: a storage write's time.
        if (Current(await PlacementAsync()) is not { } current)
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
        var flow = await Shard.Move(Id, new DeviceAddress(district, community, p.Kind, Id));
        await LeaveAsync(from.District, from.Community, p.Kind, flow);
        await AnnounceAsync(district, community, p.Kind, p.ExpectedInterval);
        return new RegistryResult(RegistryOutcome.Ok, p, null);
    }

    public async Task<RegistryResult> RecordReplacement()
    {
        if (Current(await PlacementAsync()) is not { } current)
        {
            return new RegistryResult(RegistryOutcome.NotFound, null, "the device is not registered");
        }

        if (current.Decommissioned)
        {
            return new RegistryResult(RegistryOutcome.Conflict, current, "the device is decommissioned");
        }

        await Shard.RecordReplacement(Id);
        return new RegistryResult(RegistryOutcome.Ok, current, null);
    }

    public async Task<RegistryResult> Decommission()
    {
        if (Current(await PlacementAsync()) is not { } current)
        {
            return new RegistryResult(RegistryOutcome.NotFound, null, "the device is not registered");
        }

        var p = Registry.Editable;
        p.District = current.District;
        p.Community = current.Community;
        p.Kind = current.Kind;
        p.Decommissioned = true;
        await SaveAsync();
        var flow = await Shard.Decommission(Id);
        await LeaveAsync(p.District, p.Community, p.Kind, flow);
        return new RegistryResult(RegistryOutcome.Ok, p, null);
    }

    /// <summary>The device has a stored registry record: its shard loads it for a query even when it has not reported.</summary>
    private bool Registered => _registry?.Stored is not null;

    private Task<DevicePlacement> PlacementAsync() => Shard.GetPlacement(Id, Registered);

    /// <summary>The persisted profile, or the one a first reading implied (not persisted: the next reading implies it again).</summary>
    private DeviceProfile? Current(DevicePlacement placement)
    {
        if (_registry?.Stored is { } stored)
        {
            return stored;
        }

        return placement.Address is { } a ? new DeviceProfile { District = a.District, Community = a.Community, Kind = a.Kind } : null;
    }

    private async Task SaveAsync()
    {
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
