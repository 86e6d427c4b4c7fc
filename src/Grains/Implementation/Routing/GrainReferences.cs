using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Routing;

/// <summary>
/// The grain references the router calls on every batch, each made once. <c>GetGrain</c> resolves the
/// interface's grain type and builds a new reference on every call: with one call per shard per batch that was 6 % of
/// the silo's CPU under gateway load (benchmarks/RESULTS.md §17). A reference is immutable and stays valid wherever
/// its grain is activated. Used by one router (one batch at a time) or one silo ingest grain (whose turns never
/// overlap), so no locking.
/// </summary>
internal sealed class GrainReferences(IGrainFactory grains, int shards)
{
    // Area keys come from topics; a flood of invented ones must not grow this without bound. Past this many the cache
    // starts over (a real city has a few thousand communities).
    private const int MaxAreas = 65_536;

    private readonly IDeviceShardGrain?[] _shards = new IDeviceShardGrain?[shards];
    private readonly Dictionary<string, ICommunityGrain> _communities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IDistrictGrain> _districts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ISiloIngestGrain> _silos = new(StringComparer.Ordinal);
    private ICityGrain? _city;

    public IDeviceShardGrain Shard(int shard) => _shards[shard] ??= grains.GetGrain<IDeviceShardGrain>(shard);

    public ICommunityGrain Community(string key) => Cached(_communities, key, static (g, k) => g.GetGrain<ICommunityGrain>(k));

    public IDistrictGrain District(string district) => Cached(_districts, district, static (g, k) => g.GetGrain<IDistrictGrain>(k));

    public ICityGrain City => _city ??= grains.GetGrain<ICityGrain>(AreaKeys.City);

    public ISiloIngestGrain Silo(string silo) => Cached(_silos, silo, static (g, k) => g.GetGrain<ISiloIngestGrain>(k));

    private T Cached<T>(Dictionary<string, T> cache, string key, Func<IGrainFactory, string, T> make)
    {
        if (cache.TryGetValue(key, out var reference))
        {
            return reference;
        }

        if (cache.Count >= MaxAreas)
        {
            cache.Clear();
        }

        reference = make(grains, key);
        cache.Add(key, reference);
        return reference;
    }
}
