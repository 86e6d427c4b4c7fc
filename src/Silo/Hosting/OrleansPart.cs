using CitySense.Contracts.Live;
using CitySense.Output;
using CitySense.Silo.Configuration;
using Orleans.Dashboard;
using CitySense.Output.Writing;

namespace CitySense.Silo.Hosting;

/// <summary>
/// The Orleans part of the silo: clustering, grain storage, the live memory streams, the dashboard, and (single node)
/// the registry warm-up. A cluster (Orleans:Provider=Redis) keeps state, membership and stream subscriptions in Redis;
/// the embedded default keeps the registry in files and the rest in memory.
/// </summary>
internal static class OrleansPart
{
    /// <summary>Grains whose directory entries each of a silo's directory caches keeps (Orleans' default: 1 000 000).</summary>
    internal const int DirectoryCacheSize = 100_000;

    public static void AddCitySenseOrleans(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var services = builder.Services;
        // Orleans' membership clock (failure detection, its watchdog) is real time counted from the silo's start, even
        // under a test's fake clock. Orleans 10.4's Watchdog.Start starts its platform thread before it stamps the
        // participant check, so the first check can measure from timestamp 0: on the system clock that is the
        // machine's uptime ("Participant check thread has not completed for 00:44:49", a warning and a health
        // complaint at every start). From the silo's start, that first reading is well under the 20 s threshold.
        services.AddKeyedSingleton<TimeProvider>(Orleans.Runtime.TimeProviderNames.Membership, (_, _) => new SiloStartClock());
        // The live streams stop taking events when the silo starts to stop, before the grains deactivate.
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LiveStreamsShutdown>();
        var orleans = config.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new OrleansOptions();
        var influxDataPath = config.GetSection(InfluxOptions.Section).Get<InfluxOptions>()?.DataPath ?? new InfluxOptions().DataPath;
        var statePath = Path.GetFullPath(config["Registry:DataPath"] ?? Path.Combine(influxDataPath, "state"));
        var dashboard = config.GetSection(DashboardSettings.Section).Get<DashboardSettings>() ?? new DashboardSettings();
        var streamCacheAge = (config.GetSection(CitySense.Live.LiveOptions.Section).Get<CitySense.Live.LiveOptions>() ?? new CitySense.Live.LiveOptions()).StreamCacheAge;
        builder.UseOrleans(silo =>
        {
            // Live updates are delivered as they come; the stream cache only serves consumers that fell behind. Its
            // defaults (5 minutes kept at least, 30 at most) held 285 MB of updates after two minutes at a million
            // devices (a heap dump, docs/performance.md item 12): a consumer more than Live:StreamCacheAge behind
            // skips ahead. Orleans purges an update once it is older than the minimum time in cache and that much
            // older than the newest: both are the setting.
            silo.AddMemoryStreams(LiveStreams.Provider, b =>
            {
                b.ConfigureCacheEviction(o => o.Configure(e =>
                {
                    e.DataMinTimeInCache = streamCacheAge;
                    e.DataMaxAgeInCache = streamCacheAge;
                }));
                // Orleans' memory adapter, whose queue reads a stopping pulling agent lets finish instead of cancelling
                // them in flight (two errors in the log of a clean stop, UncancelledMemoryQueueReads). Registered after
                // Orleans' own adapter factory for the provider, so it is the one the provider resolves.
                b.ConfigureComponent<Orleans.Streams.IQueueAdapterFactory>((services, name) => new UncancelledMemoryQueueReads(
                    Orleans.Providers.MemoryAdapterFactory<Orleans.Providers.DefaultMemoryMessageBodySerializer>.Create(services, name)));
            });
            // The Orleans dashboard (grains, silos, calls), served at /dashboard to operators only (mapped by CitySenseHost).
            if (dashboard.Enabled)
            {
                // Whole milliseconds in an int: an interval beyond 24 days is as good as never.
                silo.AddDashboard(o => o.CounterUpdateIntervalMs = (int)Math.Min(dashboard.CounterInterval.TotalMilliseconds, int.MaxValue));
            }
            // Orleans sizes each grain directory cache's dictionary for its CacheSize up front: at its default of
            // 1 000 000, two caches held 18.6 MB of empty buckets on every silo (benchmarks/RESULTS.md §57). A silo calls
            // far fewer grains that live elsewhere (a city has about 15 000 ingest grains), the cache is an LRU, and a miss
            // costs one directory lookup.
            silo.Services.Configure<Orleans.Configuration.GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);
            if (orleans.Provider == ClusterProvider.Redis)
            {
                silo.UseRedisClustering(orleans.Redis!);
                silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = orleans.ClusterId;
                    o.ServiceId = orleans.ServiceId;
                });
                silo.ConfigureEndpoints(System.Net.IPAddress.Parse(orleans.AdvertisedAddress ?? "127.0.0.1"), orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: true);
                silo.AddRedisGrainStorage("registry", o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(orleans.Redis!));
                // Area state (open windows, ledgers, rosters, alarms): stored after every batch, before its acknowledgement,
                // with Orleans' binary serializer (smaller and faster than the JSON default, and it knows our records).
                silo.AddRedisGrainStorage("state", o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(orleans.Redis!));
                silo.Services.AddOptions<Orleans.Persistence.RedisStorageOptions>("state")
                    .Configure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer));
                // History records (hours, days, months of each area; meters' days): written by areas on their pushes.
                silo.AddRedisGrainStorage("history", o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(orleans.Redis!));
                silo.Services.AddOptions<Orleans.Persistence.RedisStorageOptions>("history")
                    .Configure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer));
                // Communities' alarm workflows (conditions, assignments, audit trails, closed alarms): written when an alarm changes.
                silo.AddRedisGrainStorage("alarms", o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(orleans.Redis!));
                silo.Services.AddOptions<Orleans.Persistence.RedisStorageOptions>("alarms")
                    .Configure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer));
                // NGSI-LD subscriptions and their queues (docs/sharing.md).
                silo.AddRedisGrainStorage("subscriptions", o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(orleans.Redis!));
                silo.Services.AddOptions<Orleans.Persistence.RedisStorageOptions>("subscriptions")
                    .Configure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer));
                // Stream subscriptions (scenario grains) must outlive a silo in a cluster.
                silo.AddRedisGrainStorage("PubSubStore", o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(orleans.Redis!));
                // Failure detection. A starting silo pings every silo the membership table calls Active before it joins
                // (Orleans' MembershipAgent.ValidateInitialConnectivity), and while joining probes only silos that are
                // suspected or have missed their heartbeats in the table (ClusterHealthMonitor.UpdateMonitoredSilos). After
                // a whole-cluster kill the other silos' entries stay Active, so with Orleans' defaults (a heartbeat every
                // 30 s, stale after 3 missed, 3 missed 5 s probes) a restarted silo waited 70-90 s before it could declare
                // them dead, join and take readings. Here an entry is stale 4 s after its last heartbeat and two missed
                // 2 s probes declare it dead: a restarted silo takes readings 7-10 s after it starts, and survivors stop
                // waiting for a killed silo's grains after a few seconds. Defaults only: Orleans:Membership:* overrides them.
                silo.Services.Configure<Orleans.Configuration.ClusterMembershipOptions>(o =>
                {
                    o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
                    o.NumMissedTableIAmAliveLimit = 2;
                    o.ProbeTimeout = TimeSpan.FromSeconds(2);
                    o.NumMissedProbesLimit = 2;
                });
                silo.Services.Configure<Orleans.Configuration.ClusterMembershipOptions>(config.GetSection("Orleans:Membership"));
                // The default strategy for grains without their own attribute. Orleans registers its default with
                // TryAdd before this callback runs; the last registration is the one resolved.
                if (orleans.Placement == GrainPlacement.Random)
                {
                    silo.Services.AddSingleton<PlacementStrategy, RandomPlacement>();
                }
            }
            else
            {
                silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, null, orleans.ServiceId, orleans.ClusterId);
                // The registry survives restarts in files under the data folder (operator changes only, so few writes).
                silo.Services.AddKeyedSingleton<Orleans.Storage.IGrainStorage>("registry", (_, _) => new Storage.FileGrainStorage(statePath));
                // History too: it must outlive restarts, and areas write it a few times an hour each, not per reading.
                silo.Services.AddKeyedSingleton<Orleans.Storage.IGrainStorage>("history", (_, _) => new Storage.FileGrainStorage(Path.Combine(statePath, "history")));
                // Alarm workflows too: an operator's acknowledgement and the audit trail must outlive a restart.
                silo.Services.AddKeyedSingleton<Orleans.Storage.IGrainStorage>("alarms", (_, _) => new Storage.FileGrainStorage(Path.Combine(statePath, "alarms")));
                // NGSI-LD subscriptions and their queues survive restarts (docs/sharing.md).
                silo.Services.AddKeyedSingleton<Orleans.Storage.IGrainStorage>("subscriptions", (_, _) => new Storage.FileGrainStorage(Path.Combine(statePath, "subscriptions")));
                silo.AddMemoryGrainStorage("PubSubStore");
                // One process: area state survives a grain's deactivation, not the process (the embedded default).
                silo.AddMemoryGrainStorage("state");
                // No other silo to move a grain to: without this, a stop that found a grain with a queued request made
                // Orleans look for one and log an error (ImmovableOnSingleSilo). Added after Orleans' own providers, so
                // it has the last word on the property.
                silo.Services.AddSingleton<Orleans.Metadata.IGrainPropertiesProvider, ImmovableOnSingleSilo>();
            }
        });

        if (orleans.Provider != ClusterProvider.Redis)
        {
            services.AddHostedService(sp => new Storage.RegistryWarmup(statePath, sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<ILogger<Storage.RegistryWarmup>>()));
        }

    }
}
