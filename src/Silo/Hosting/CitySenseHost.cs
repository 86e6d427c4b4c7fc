using System.Text.Json.Serialization;
using CitySense.Api;
using CitySense.Api.Protection;
using CitySense.Api.Scenarios;
using CitySense.Contracts.Configuration;
using CitySense.Grains;
using CitySense.Ingest;
using CitySense.Ingest.Simulation;
using CitySense.Live;
using CitySense.Output;
using CitySense.Silo.Configuration;
using CitySense.Silo.Demo;
using CitySense.Silo.Logging;
using Microsoft.Extensions.Configuration.Memory;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace CitySense.Silo.Hosting;

/// <summary>
/// Composes the silo from its parts, each added with one call that brings its options, its configuration check, its
/// services and its health checks. Tests build the same host with their own configuration.
/// </summary>
public static class CitySenseHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Series kept per metric on /metrics (OpenTelemetry's own default is 2 000); see the view below.</summary>
    public const int MetricsCardinalityLimit = 200;

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var demo = args.Contains("--demo", StringComparer.OrdinalIgnoreCase);
        var builder = WebApplication.CreateBuilder(args.Where(a => !string.Equals(a, "--demo", StringComparison.OrdinalIgnoreCase)).ToArray());
        if (demo)
        {
            builder.Configuration.AddInMemoryCollection([new("Demo:Enabled", "true")]);
        }

        configure?.Invoke(builder);
        if (builder.Configuration.GetValue<bool>("Demo:Enabled"))
        {
            // First, so every configured value (appsettings, environment, command line, a test's) wins over them.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DemoDefaults.Settings });
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var config = builder.Configuration;
        var services = builder.Services;
        services.TryAddSingletonTimeProvider();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A statistic can overflow to infinity on absurd (but finite) input; the API must still answer.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });

        // The parts, in start order. Hosted services stop in the reverse order, so this is the shutdown order read
        // backwards (HostedServiceOrderTests checks it):
        //   ingest stops first: the edge stops taking messages, then its worker drains what it accepted into the grains;
        //   Orleans next: grains deactivate and flush their windows to the output and their updates to the live path;
        //   live after Orleans, so the grains' last updates still go out;
        //   the output last, so it writes what the grains flushed.
        // Each part checks its keys as it is added; with any mistake the host refuses to start, naming them all.
        var errors = ConfigurationErrors.Of(services);
        var siloValid = errors.Add(SiloConfiguration.Validate(config));
        var durable = siloValid && (config.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new OrleansOptions()).Provider == ClusterProvider.Redis;
        services.AddCitySenseOutput(config);
        services.AddCitySenseGrains(config, durableState: durable);
        services.AddCitySenseLive(config);
        if (siloValid)
        {
            builder.AddCitySenseOrleans();
        }

        services.AddCitySenseIngest(config);
        if (config.GetValue<bool>("Demo:Enabled"))
        {
            services.AddHostedService<DemoOperator>();
        }

        services.AddCitySenseApi(config);
        errors.ThrowIfAny();

        // Metrics for operators: Prometheus scrape endpoint at /metrics (ingest rates, rejections, queue depths, output
        // lag, Orleans and runtime meters).
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(IngestRegistration.MeterName, OutputRegistration.MeterName, "Microsoft.Orleans", CitySense.Grains.Subscriptions.SubscriptionMetrics.MeterName,
                CitySense.Grains.CommunityBudgets.MeterName)
            .AddRuntimeInstrumentation()
            // Each metric stream preallocates room for its cardinality limit: at OpenTelemetry's default of 2 000, the
            // silo's 302 streams held 53 MB whatever the load, 27 MB at 200 (heap dumps at a million devices, RESULTS.md
            // §41). No metric here has more than a few dozen tag sets (reasons, grain types, GC generations); one that
            // outgrew the limit would report the rest in its otel.metric.overflow series, not lose them.
            .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MetricsCardinalityLimit })
            .AddPrometheusExporter());

        // Last, once every logging provider is registered (a test's too): repeated warnings are summarised.
        ThrottlingLoggerProvider.WrapAll(services);
        var app = builder.Build();
        app.UseApiTrafficCounting();
        app.UseApiProtection();
        app.UseWebSockets();
        app.MapPrometheusScrapingEndpoint("/metrics");
        if ((config.GetSection(DashboardSettings.Section).Get<DashboardSettings>() ?? new DashboardSettings()).Enabled)
        {
            // Operators' page, not part of the API: kept out of the OpenAPI document a client generator reads.
            app.MapOrleansDashboard("/dashboard").RequireAuthorization(CitySense.Api.Auth.ApiScopes.Operate).ExcludeFromDescription();
        }

        app.MapCitySenseApi();
        StartupReport.Log(app);
        return app;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
