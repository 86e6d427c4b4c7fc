using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.Alarms;
using CitySense.Grains.Domain.Devices;
using CitySense.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace CitySense.Grains.Devices;

/// <summary>
/// The runtime state of the devices whose ids hash to this shard (<see cref="DeviceShards"/>), one
/// <see cref="DeviceState"/> each. A device is loaded on its first reading or registry call in this activation: its
/// registry record (storage "registry", written by its device grain) places it, and what its community last counted of
/// it (the ledger) restores it, as a device grain did before. Runtime state is in memory only; a shard that lost it
/// (its silo died, or <c>Devices:Shards</c> changed) rebuilds each device from the same two sources.
/// </summary>
[ShardOwnerPlacement]
public sealed class DeviceShardGrain(
    IOptions<IndicatorOptions> options,
    IOptions<RegisterOptions> registers,
    IOptions<AlarmOptions> alarms,
    IOptions<VeeOptions> vee) : Grain, IDeviceShardGrain, IGrainMigrationParticipant
{
    private const string MigratedDevices = "devices";

    private readonly Dictionary<string, DeviceState> _devices = new(StringComparer.Ordinal);
    // Shared by the shard's devices; its alarm rules lend an evaluator within a turn, so one per activation.
    private readonly DeviceRules _rules = new(options.Value, registers.Value, new AlarmRules(alarms.Value, CityTimeZone.Of(alarms.Value)), vee.Value);
    // Loaded devices not yet restored from their community: loaded by a registry call before any reading, with no record
    // placing them, so there was no community to ask. Their first reading says where. Nearly always empty.
    private readonly HashSet<string> _unrestored = new(StringComparer.Ordinal);
    // Devices the activation this shard moved from held, with where they were placed (a device with no registry record
    // is placed by its first reading, and nothing else records that): loaded and restored from their communities on
    // first use, as if this activation had held them. Emptied as they load.
    private Dictionary<string, DeviceAddress>? _migrated;
    private OwnershipCheck _ownership;
    private bool _moving;
    private IngestOwners? _owners;
    private string? _ownerKey;

    private IGrainStorage RegistryStorage => ServiceProvider.GetRequiredKeyedService<IGrainStorage>("registry");

    public Task<Immutable<DeviceUpdate[][]>> Apply(Immutable<ShardBatch> batch)
    {
        // Another silo owns this shard since the owners changed: it moves there before it applies anything more, so
        // that the readings are applied (and their devices loaded) where the shard will be; readings applied here and
        // then left behind would leave only what the ledgers keep. The router retries the call after its backoff.
        if (_moving || _ownership.ShouldMove(_owners ??= ServiceProvider.GetService<IngestOwners>(), _ownerKey ??= OwnerKeys.Shard(this.GetPrimaryKeyLong())))
        {
            _moving = true;
            this.MigrateOnIdle();
            return Task.FromException<Immutable<DeviceUpdate[][]>>(new InvalidOperationException(
                $"Device shard {this.GetPrimaryKeyLong()} is moving to the silo that owns it; the call is retried there."));
        }

        var devices = batch.Value.Devices;
        var states = new DeviceState[devices.Length];
        for (var i = 0; i < devices.Length; i++)
        {
            if (!_devices.TryGetValue(devices[i].Device, out var state) || (_unrestored.Count > 0 && _unrestored.Contains(devices[i].Device)))
            {
                return LoadThenApply(batch.Value);
            }

            states[i] = state;
        }

        return Task.FromResult(ApplyNow(batch.Value, states));
    }

    private async Task<Immutable<DeviceUpdate[][]>> LoadThenApply(ShardBatch batch)
    {
        await LoadAsync(batch.Devices.Select(d => d.Device), batch.Devices);
        return ApplyNow(batch, Array.ConvertAll(batch.Devices, d => _devices[d.Device]));
    }

    private Immutable<DeviceUpdate[][]> ApplyNow(ShardBatch batch, DeviceState[] states)
    {
        this.DelayDeactivation(GrainLifetime.WithData);
        var result = new DeviceUpdate[states.Length][];
        for (var d = 0; d < states.Length; d++)
        {
            var address = batch.Devices[d];
            var input = batch.Readings[d];
            var updates = new DeviceUpdate[input.Length];
            for (var i = 0; i < input.Length; i++)
            {
                updates[i] = states[d].Apply(address, input[i]);
            }

            result[d] = updates;
        }

        return result.AsImmutable();
    }

    public async Task<DeviceSnapshot?> GetSnapshot(string device, bool registered) => (await FindAsync(device, registered))?.ToSnapshot();

    public async Task<DevicePlacement> GetPlacement(string device, bool registered) => Placement(await FindAsync(device, registered));

    public async Task<DevicePlacement?> TryPlace(string device, DeviceAddress address, decimal? registerMax)
    {
        var state = await LoadOneAsync(device);
        if (state.Decommissioned || (state.Address is { } placed && !placed.SamePlaceAs(address)))
        {
            return Placement(state);
        }

        state.PlaceAt(address);
        state.SetRegisterMax(registerMax);
        return null;
    }

    public async Task<double> Move(string device, DeviceAddress address)
    {
        var state = await LoadOneAsync(device);
        // Already there: a retried call, or the shard loaded the device after its device grain stored the move (the device
        // grain loads it here first, from the old record, so that is only a shard lost in between).
        return state.Address is { } current && current.SamePlaceAs(address) ? 0 : state.MoveTo(address);
    }

    public async Task<double> Decommission(string device) => (await LoadOneAsync(device)).Decommission();

    public async Task<Immutable<DeviceUpdate>> ReleaseSuspect(string device, DeviceAddress address, CitySense.Contracts.Vee.SuspectReading suspect) =>
        (await LoadOneAsync(device)).Release(address, suspect).AsImmutable();

    public async Task RecordReplacement(string device) => (await LoadOneAsync(device)).RecordReplacement();

    /// <summary>
    /// The device's state when it is loaded, or registered (then it is loaded). An id never seen and not registered adds
    /// nothing and reads no storage, so queries can neither grow the shard nor hold up its readings.
    /// </summary>
    private async Task<DeviceState?> FindAsync(string device, bool registered) =>
        _devices.ContainsKey(device) || registered || _migrated?.ContainsKey(device) == true ? await LoadOneAsync(device) : null;

    /// <summary>
    /// Moving to the silo that owns the shard: the devices it holds and where each is placed go along, so that the new
    /// activation answers for them before their next reading (a query for a device it did not know would say it never
    /// reported) and holds each to the place of its first reading. Their runtime state is restored from their
    /// communities' ledgers there, as after a silo failure.
    /// </summary>
    public void OnDehydrate(IDehydrationContext dehydrationContext)
    {
        var placed = _devices.Values.Select(d => d.Address).OfType<DeviceAddress>();
        if (_migrated is not null)
        {
            placed = placed.Concat(_migrated.Values);
        }

        dehydrationContext.TryAddValue(MigratedDevices, placed.ToArray());
    }

    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (rehydrationContext.TryGetValue(MigratedDevices, out DeviceAddress[]? placed))
        {
            _migrated = new Dictionary<string, DeviceAddress>(placed.Length, StringComparer.Ordinal);
            foreach (var address in placed)
            {
                _migrated.TryAdd(address.Device, address);
            }
        }
    }

    private static DevicePlacement Placement(DeviceState? state) =>
        state is null ? new DevicePlacement(null, false) : new DevicePlacement(state.Address, state.Decommissioned);

    private async Task<DeviceState> LoadOneAsync(string device)
    {
        await LoadAsync([device], null);
        this.DelayDeactivation(GrainLifetime.WithData);
        return _devices[device];
    }

    /// <summary>
    /// Loads the devices not loaded yet (registry records read in parallel), then restores those that have nothing
    /// applied from their communities' ledgers, one call per community. <paramref name="hints"/>, when given, are the
    /// addresses the devices' readings came from, in the same order: where to look for a device with no record.
    /// </summary>
    private async Task LoadAsync(IEnumerable<string> devices, DeviceAddress[]? hints)
    {
        var ids = devices as IReadOnlyList<string> ?? devices.ToList();
        var missing = ids.Where(id => !_devices.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            var storage = RegistryStorage;
            var records = await Task.WhenAll(missing.Select(id => RegistryRecord.ReadAsync(storage, DeviceGrainId(id))));
            for (var i = 0; i < missing.Length; i++)
            {
                var state = NewState();
                if (records[i]?.Stored is { } p)
                {
                    state.PlaceAt(new DeviceAddress(p.District, p.Community, p.Kind, missing[i]));
                    state.SetRegisterMax(p.RegisterMax);
                    if (p.Decommissioned)
                    {
                        state.Decommission();
                    }
                }
                else if (_migrated?.TryGetValue(missing[i], out var carried) == true)
                {
                    state.PlaceAt(carried);
                }

                _migrated?.Remove(missing[i]);

                _devices.TryAdd(missing[i], state);
                _unrestored.Add(missing[i]);
            }
        }

        if (_unrestored.Count == 0)
        {
            return;
        }

        // Devices to restore, per community: home is the registered place, else where the reading came from.
        var byCommunity = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (!_unrestored.Contains(id))
            {
                continue;
            }

            var state = _devices[id];
            if ((state.Address ?? hints?[i]) is not { } home)
            {
                continue;
            }

            if (!state.IsFresh)
            {
                _unrestored.Remove(id);
                continue;
            }

            if (!byCommunity.TryGetValue(home.CommunityKey, out var list))
            {
                byCommunity[home.CommunityKey] = list = [];
            }

            if (!list.Contains(id))
            {
                list.Add(id);
            }
        }

        var calls = byCommunity.Select(async c =>
            (Ids: c.Value, Checkpoints: await GrainFactory.GetGrain<ICommunityGrain>(c.Key).GetDeviceCheckpoints(c.Value.ToArray()))).ToArray();
        foreach (var (communityIds, checkpoints) in await Task.WhenAll(calls))
        {
            for (var i = 0; i < communityIds.Count; i++)
            {
                var state = _devices[communityIds[i]];
                if (checkpoints[i] is { } checkpoint && state.IsFresh)
                {
                    state.Restore(checkpoint);
                }

                _unrestored.Remove(communityIds[i]);
            }
        }
    }

    private DeviceState NewState() => new(_rules);

    private GrainId DeviceGrainId(string device) => GrainFactory.GetGrain<IDeviceGrain>(device).GetGrainId();
}
