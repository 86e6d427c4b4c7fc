using System.Diagnostics;
using System.Text.Json.Serialization;
using CitySense.Api;
using CitySense.Api.Protection;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Ingest;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Limits;
using CitySense.Ingest.Mqtt;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Rejections;
using CitySense.Ingest.Security;
using CitySense.Ingest.Simulation;
using CitySense.Live;
using CitySense.Silo.Configuration;
using CitySense.Silo.Logging;
using CitySense.Output;
using CitySense.Output.Writing;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace CitySense.Silo.Hosting;

/// <summary>
/// Composes the whole silo: MQTT edge, ingest pipeline, Orleans, indicator output and the HTTP API. Tests build the
/// same host with their own configuration.
/// </summary>
public static class CitySenseHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var demo = args.Contains("--demo", StringComparer.OrdinalIgnoreCase);
        var builder = WebApplication.CreateBuilder(args.Where(a => !string.Equals(a, "--demo", StringComparison.OrdinalIgnoreCase)).ToArray());
        if (demo)
        {
            builder.Configuration.AddInMemoryCollection([new("Demo:Enabled", "true")]);
        }

        configure?.Invoke(builder);

        var errors = ConfigurationValidator.Validate(builder.Configuration);
        if (errors.Count > 0)
        {
            throw new InvalidConfigurationException(errors);
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var config = builder.Configuration;
        var services = builder.Services;
        services.Configure<IngestOptions>(config.GetSection(IngestOptions.Section));
        services.Configure<MqttOptions>(config.GetSection(MqttOptions.Section));
        services.Configure<InfluxOptions>(config.GetSection(InfluxOptions.Section));
        services.Configure<IndicatorOptions>(config.GetSection(IndicatorOptions.Section));
        services.Configure<RegisterOptions>(config.GetSection(RegisterOptions.Section));
        services.Configure<DeviceOptions>(config.GetSection(DeviceOptions.Section));
        services.Configure<StateOptions>(o =>
        {
            // A cluster stores area state after every batch and at shutdown (a durable store makes that worth it); the
            // embedded default's memory storage dies with the process. Overridable both ways.
            var durable = string.Equals(config["Orleans:Provider"], nameof(ClusterProvider.Redis), StringComparison.OrdinalIgnoreCase);
            o.WriteEveryBatch = durable;
            o.StoreOnShutdown = durable;
            config.GetSection(StateOptions.Section).Bind(o);
        });
        services.Configure<LivenessOptions>(config.GetSection(LivenessOptions.Section));
        services.Configure<CitySense.Contracts.Alarms.AlarmOptions>(config.GetSection(CitySense.Contracts.Alarms.AlarmOptions.Section));
        services.Configure<SimulatorOptions>(config.GetSection(SimulatorOptions.Section));
        services.TryAddSingletonTimeProvider();
        // Orleans' membership clock (failure detection, its watchdog) is real time counted from the silo's start, even
        // under a test's fake clock. Orleans 10.4's Watchdog.Start starts its platform thread before it stamps the
        // participant check, so the first check can measure from timestamp 0: on the system clock that is the
        // machine's uptime ("Participant check thread has not completed for 00:44:49", a warning and a health
        // complaint at every start). From the silo's start, that first reading is well under the 20 s threshold.
        services.AddKeyedSingleton<TimeProvider>(Orleans.Runtime.TimeProviderNames.Membership, (_, _) => new SiloStartClock());
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A statistic can overflow to infinity on absurd (but finite) input; the API must still answer.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });

        // Indicator output. Registered before Orleans so that on shutdown it stops after the grains have flushed.
        services.AddSingleton<ILineWriter>(sp =>
        {
            var influx = sp.GetRequiredService<IOptions<InfluxOptions>>().Value;
            return influx.UsesServer ? new InfluxLineWriter(influx) : new FileLineWriter(influx, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<BufferedLineSink>();
        services.AddSingleton<ILineSink>(sp => sp.GetRequiredService<BufferedLineSink>());
        // Live updates (streams, SSE/WebSocket, MQTT republish): registered before Orleans so they outlive the grains' last applies.
        services.AddCitySenseLive(config);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LiveStreamsShutdown>();
        services.AddHostedService(sp => sp.GetRequiredService<BufferedLineSink>());

        var orleans = config.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new OrleansOptions();
        var influxDataPath = config.GetSection(InfluxOptions.Section).Get<InfluxOptions>()?.DataPath ?? new InfluxOptions().DataPath;
        var statePath = Path.GetFullPath(config["Registry:DataPath"] ?? Path.Combine(influxDataPath, "state"));
        var dashboard = config.GetSection(DashboardSettings.Section).Get<DashboardSettings>() ?? new DashboardSettings();
        builder.UseOrleans(silo =>
        {
            // Live updates are delivered as they come; the stream cache only serves consumers that fell behind. Its
            // defaults (5 minutes kept at least, 30 at most) held 285 MB of updates after two minutes at a million
            // devices (a heap dump, docs/performance.md item 12): a consumer more than this far behind skips ahead.
            silo.AddMemoryStreams(LiveStreams.Provider, b => b.ConfigureCacheEviction(o => o.Configure(e =>
            {
                e.DataMinTimeInCache = TimeSpan.FromSeconds(10);
                e.DataMaxAgeInCache = TimeSpan.FromSeconds(30);
            })));
            // The Orleans dashboard (grains, silos, calls), served at /dashboard to operators only (see below).
            if (dashboard.Enabled)
            {
                // Whole milliseconds in an int: an interval beyond 24 days is as good as never.
                silo.AddDashboard(o => o.CounterUpdateIntervalMs = (int)Math.Min(dashboard.CounterInterval.TotalMilliseconds, int.MaxValue));
            }
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
            }
            else
            {
                silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, null, orleans.ServiceId, orleans.ClusterId);
                // The registry survives restarts in files under the data folder (operator changes only, so few writes).
                silo.Services.AddKeyedSingleton<Orleans.Storage.IGrainStorage>("registry", (_, _) => new Storage.FileGrainStorage(statePath));
                silo.AddMemoryGrainStorage("PubSubStore");
                // One process: area state survives a grain's deactivation, not the process (the embedded default).
                silo.AddMemoryGrainStorage("state");
            }
        });

        if (orleans.Provider != ClusterProvider.Redis)
        {
            services.AddHostedService(sp => new Storage.RegistryWarmup(statePath, sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<ILogger<Storage.RegistryWarmup>>()));
        }

        // Ingest. Hosted services stop in reverse order: simulator, MQTT edge, worker (drains), then Orleans, then output.
        services.AddSingleton<StringInterner>(_ => new StringInterner());
        services.AddSingleton<AddressBook>();
        services.AddSingleton<RejectionLog>();
        services.AddSingleton<TelemetryDecoder>();
        services.AddSingleton<IngestStats>();
        services.AddSingleton<IngestPipeline>();
        services.AddSingleton<MqttEdgeStatus>();
        services.AddSingleton<SecurityLog>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<BrokerAccessControl>();
        services.AddSingleton<PublishRateLimiter>();
        services.AddHostedService<IngestWorker>();
        var mode = config.GetSection(MqttOptions.Section).Get<MqttOptions>()?.Mode ?? MqttMode.Embedded;
        if (mode == MqttMode.Embedded)
        {
            services.AddSingleton<EmbeddedBroker>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        }
        else
        {
            services.AddSingleton<ExternalBrokerClient>();
            services.AddHostedService(sp => sp.GetRequiredService<ExternalBrokerClient>());
        }

        if (config.GetValue<bool>("Demo:Enabled"))
        {
            services.AddHostedService<CitySimulator>();
        }

        // Metrics for operators: Prometheus scrape endpoint at /metrics (ingest rates, rejections, queue depths, sink lag,
        // Orleans and runtime meters).
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("CitySense.Ingest", "CitySense.Sink", "Microsoft.Orleans")
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        services.AddCitySenseApi(config);

        var maxBody = config.GetSection(CitySense.Api.Protection.ApiProtectionOptions.Section).Get<CitySense.Api.Protection.ApiProtectionOptions>()?.MaxRequestBodyBytes
            ?? new CitySense.Api.Protection.ApiProtectionOptions().MaxRequestBodyBytes;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBody);

        // Last, once every logging provider is registered (a test's too): repeated warnings are summarised.
        ThrottlingLoggerProvider.WrapAll(services);
        var app = builder.Build();
        app.UseApiProtection();
        app.UseWebSockets();
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (dashboard.Enabled)
        {
            app.MapOrleansDashboard("/dashboard").RequireAuthorization(CitySense.Api.Auth.ApiScopes.Operate);
        }
        app.MapCitySenseApi();
        StartupReport.Log(app);
        return app;
    }

    /// <summary>Real time whose timestamps count from this clock's creation (the silo's start), not the machine's boot.</summary>
    private sealed class SiloStartClock : TimeProvider
    {
        private readonly long _origin = Stopwatch.GetTimestamp();

        public override long GetTimestamp() => Stopwatch.GetTimestamp() - _origin;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
