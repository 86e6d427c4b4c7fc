using System.Reflection;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Grains.Routing;

namespace CitySense.UnitTests.Routing;

/// <summary>The router's reference cache: one GetGrain per grain, the same reference after that, and bounded.</summary>
public sealed class GrainReferencesTests
{
    [Fact]
    public void Makes_each_reference_once()
    {
        var factory = CountingFactory.Create();
        var references = new GrainReferences(factory, shards: 8);

        var shard = references.Shard(3);
        var community = references.Community("d1/c1");
        var district = references.District("d1");
        var city = references.City;

        Assert.Same(shard, references.Shard(3));
        Assert.Same(community, references.Community("d1/c1"));
        Assert.Same(district, references.District("d1"));
        Assert.Same(city, references.City);
        Assert.NotSame(shard, references.Shard(4));
        Assert.NotSame(community, references.Community("d1/c2"));
        Assert.Equal(
            ["IDeviceShardGrain 3", "ICommunityGrain d1/c1", "IDistrictGrain d1", "ICityGrain city", "IDeviceShardGrain 4", "ICommunityGrain d1/c2"],
            Proxy(factory).Calls);
    }

    [Fact]
    public void Starts_over_when_invented_area_keys_would_grow_it_without_bound()
    {
        var factory = CountingFactory.Create();
        var references = new GrainReferences(factory, shards: 1);
        var first = references.Community("d/c0");
        for (var i = 1; i <= 70_000; i++)
        {
            references.Community($"d/c{i}");
        }

        // Made again: the cache started over past its bound (65 536) and so no longer held the first key.
        Assert.NotSame(first, references.Community("d/c0"));
        Assert.Equal(70_002, Proxy(factory).Calls.Count);
    }

    private static CountingFactory Proxy(IGrainFactory factory) => (CountingFactory)(object)factory;

    /// <summary>An IGrainFactory that records what it was asked for and answers each call with a new reference object.</summary>
    public class CountingFactory : DispatchProxy
    {
        public List<string> Calls { get; } = [];

        public static IGrainFactory Create() => DispatchProxy.Create<IGrainFactory, CountingFactory>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Assert.NotNull(targetMethod);
            Assert.Equal("GetGrain", targetMethod.Name);
            var type = targetMethod.GetGenericArguments().Single();
            Calls.Add($"{type.Name} {args![0]}");
            return typeof(DispatchProxy).GetMethod(nameof(DispatchProxy.Create), 2, Type.EmptyTypes)!
                .MakeGenericMethod(type, typeof(Reference)).Invoke(null, null);
        }
    }

    /// <summary>A grain reference stand-in; never called here.</summary>
    public class Reference : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new InvalidOperationException("not called");
    }
}
