using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Live;
using CitySense.Output.Writing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Xunit;

namespace CitySense.GrainTests.Live;

/// <summary>
/// A two-silo in-process cluster with the live path of the real host: each silo has its own feed and pump and the
/// memory stream provider; the test client has the provider too, so tests can subscribe like an external client.
/// </summary>
public sealed class LiveClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder();
        builder.ConfigureSilo((_, silo) => silo.AddMemoryStreams(LiveStreams.Provider).AddMemoryGrainStorage("PubSubStore").AddMemoryGrainStorage("state").AddMemoryGrainStorage("registry").AddMemoryGrainStorage("history").AddMemoryGrainStorage("alarms"));
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<ILineSink>(new RecordingLineSink());
            host.Services.AddSingleton(TimeProvider.System);
            CitySense.Grains.GrainsRegistration.AddCitySenseGrainServices(host.Services);
            // An update after every batch: these tests follow each one (coalescing is tested end to end). Streams'
            // consumers asked again after 300 ms: a test that subscribes late waits that long, not 5 s.
            host.Services.AddCitySenseLive(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Live:AreaInterval"] = "00:00:00", ["Live:StreamConsumerCheck"] = "00:00:00.300" }).Build());
            host.Services.Configure<IndicatorOptions>(o => o.FlushInterval = TimeSpan.FromHours(1));
        });
        builder.ConfigureClient(client => client.AddMemoryStreams(LiveStreams.Provider));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>The feed of a silo, for tests that announce alarms the way community grains will.</summary>
    public ILiveFeed Feed(int silo = 0) => Cluster.Silos[silo].ServiceProvider.GetRequiredService<ILiveFeed>();

    /// <summary>Live events the silos did not publish because their stream had no consumer.</summary>
    public long Unread() => Cluster.Silos.Sum(s => s.ServiceProvider.GetRequiredService<LiveStats>().StreamUnread);

    /// <summary>Live updates and alarm events the scenario host took from the silos' publishers.</summary>
    public long ScenarioEvents() => Cluster.Silos.Sum(s => s.ServiceProvider.GetRequiredService<LiveStats>().ScenarioEvents);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LiveClusterCollection : ICollectionFixture<LiveClusterFixture>
{
    public const string Name = "live-cluster";
}
