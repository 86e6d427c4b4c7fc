using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Grains.Placement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Routing;

/// <summary>
/// Hands the parts of other silos' batches to this silo's grains (<see cref="ISiloIngestGrain"/>). It keeps nothing:
/// reentrant, so the parts of several silos' batches go through at once, and correct wherever it runs (placed on
/// another silo when its own is gone, it only calls grains wherever they are).
/// </summary>
[SiloPlacement]
[Reentrant]
public sealed class SiloIngestGrain(IOptions<RoutingOptions> routing, IOptions<DeviceOptions> devices, ILogger<SiloIngestGrain> logger) : Grain, ISiloIngestGrain
{
    private GrainReferences? _grains;

    private GrainReferences Grains => _grains ??= new GrainReferences(GrainFactory, Math.Max(1, devices.Value.Shards));

    // Each call gets its own: GrainCalls keeps per-phase retry bookkeeping, and calls here overlap (reentrant).
    private GrainCalls NewCalls() => new(routing.Value, logger);

    public async Task<Immutable<DeviceUpdate[][][]>> ApplyShards(Immutable<ShardPart[]> parts)
    {
        var shards = parts.Value;
        var grains = Grains;
        var results = await NewCalls().CallAllAsync(shards.Length, s => grains.Shard(shards[s].Shard).Apply(shards[s].Batch.AsImmutable()));
        return Array.ConvertAll(results, r => r.Value).AsImmutable();
    }

    public async Task<Immutable<SourceTotal[][]>> ApplyAreas(Immutable<AreaPart> part) =>
        (await AreaDispatch.ApplyAsync(Grains, NewCalls(), part.Value)).AsImmutable();
}
