using CitySense.Contracts.Configuration;
using CitySense.Contracts.Operations;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Health;
using CitySense.Ingest.Limits;
using CitySense.Ingest.Mqtt;
using CitySense.Ingest.Operations;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Rejections;
using CitySense.Ingest.Security;
using CitySense.Ingest.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CitySense.Ingest.Settings;

namespace CitySense.Ingest;

public static class IngestRegistration
{
    /// <summary>The meter of the edge and the pipeline (messages, readings, rejections, drops, disconnects).</summary>
    public const string MeterName = IngestMeter.Name;

    /// <summary>
    /// The MQTT edge: the broker (embedded) or the broker client (external), the decoder, the pipeline and its worker,
    /// the demo simulator when Demo:Enabled, what it offers other parts (<see cref="ISiloBroker"/>,
    /// <see cref="IIngestReports"/>) and its health checks (mqtt, ingest). Its keys are checked first: with a mistake in
    /// them nothing is registered and the host refuses to start (<see cref="ConfigurationErrors"/>).
    /// Its hosted services start in the order worker, edge, simulator and so stop simulator, edge, then the worker,
    /// which drains what the edge accepted.
    /// </summary>
    public static IServiceCollection AddCitySenseIngest(this IServiceCollection services, IConfiguration config)
    {
        if (!ConfigurationErrors.Of(services).Add(IngestConfiguration.Validate(config)))
        {
            return services;
        }

        var mode = config.GetSection(MqttOptions.Section).Get<MqttOptions>()?.Mode ?? MqttMode.Embedded;
        services.Configure<IngestOptions>(o =>
        {
            // Defaults that depend on the mode first; what the configuration says wins.
            o.BatchDelay = mode == MqttMode.External ? IngestOptions.ExternalDefault : TimeSpan.Zero;
            config.GetSection(IngestOptions.Section).Bind(o);
        });
        services.Configure<MqttOptions>(config.GetSection(MqttOptions.Section));
        services.Configure<SimulatorOptions>(config.GetSection(SimulatorOptions.Section));
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
        services.AddSingleton<ISiloBroker, SiloBroker>();
        services.AddSingleton<IIngestReports, IngestReports>();
        services.AddHealthChecks()
            .AddCheck<MqttHealthCheck>(HealthSections.Mqtt)
            .AddCheck<IngestHealthCheck>(HealthSections.Ingest);

        services.AddHostedService<IngestWorker>();
        if (mode == MqttMode.Embedded)
        {
            services.AddSingleton<KeptTopicsDelivery>();
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

        return services;
    }
}
