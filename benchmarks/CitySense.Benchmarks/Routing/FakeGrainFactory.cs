using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using Orleans.Runtime;

namespace CitySense.Benchmarks.Routing;

/// <summary>
/// Hands the ingest worker in-process stand-ins for its grains: device shard grains that run the real DeviceState, and area
/// grains that accept their batch and do nothing (AreaAggregate has its own suite). What remains measured is the
/// worker's own work: grouping per device and per shard, DeviceReading arrays, grouping updates per area, IndicatorBatch arrays.
/// Orleans messaging, serialization and scheduling are not in it.
/// </summary>
public sealed class FakeGrainFactory(IndicatorOptions options) : IGrainFactory
{
    private readonly Dictionary<long, FakeDeviceShardGrain> _shards = [];
    private readonly FakeAreaGrain _area = new();

    public int Devices => _shards.Values.Sum(s => s.Devices);

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey
    {
        return (TGrainInterface)(object)_area;
    }

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidKey => throw new NotSupportedException();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerKey
    {
        if (typeof(TGrainInterface) != typeof(IDeviceShardGrain))
        {
            throw new NotSupportedException();
        }

        // The worker calls GetGrain from its one loop, so a plain dictionary is enough.
        if (!_shards.TryGetValue(primaryKey, out var shard))
        {
            shard = new FakeDeviceShardGrain(options);
            _shards.Add(primaryKey, shard);
        }

        return (TGrainInterface)(object)shard;
    }

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidCompoundKey => throw new NotSupportedException();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerCompoundKey => throw new NotSupportedException();

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver => throw new NotSupportedException();

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw new NotSupportedException();

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable => throw new NotSupportedException();

    public IAddressable GetGrain(GrainId grainId) => throw new NotSupportedException();

    public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw new NotSupportedException();

    public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey, string grainClassNamePrefix) => throw new NotSupportedException();

    public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey) => throw new NotSupportedException();
}
