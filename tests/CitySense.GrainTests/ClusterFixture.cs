using CitySense.Contracts.Indicators;
using CitySense.Output.Writing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Xunit;

namespace CitySense.GrainTests;

/// <summary>One two-silo in-process cluster for the whole collection; tests use their own grain keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public RecordingLineSink Sink { get; } = new();

    /// <summary>The clock of every silo: tests move time forward instead of waiting.</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder();
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage("registry").AddMemoryGrainStorage("state").AddMemoryGrainStorage("history").AddMemoryGrainStorage("alarms"));
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<ILineSink>(Sink);
            host.Services.AddSingleton<TimeProvider>(Time);
            host.Services.Configure<LivenessOptions>(o => o.CheckInterval = TimeSpan.FromMilliseconds(100));
            host.Services.AddSingleton<CitySense.Contracts.Live.ILiveFeed, CitySense.Contracts.Live.NoLiveFeed>();
            CitySense.Grains.GrainsRegistration.AddCitySenseGrainServices(host.Services);
            // Windows are written on deactivation only, so a test sees exactly what one flush writes.
            host.Services.Configure<IndicatorOptions>(o => o.FlushInterval = TimeSpan.FromHours(1));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
