using CitySense.Contracts.Configuration;
using CitySense.Contracts.Operations;
using CitySense.Output.Health;
using CitySense.Output.Writing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CitySense.Output;

public static class OutputRegistration
{
    /// <summary>The meter of the output (lines written, spilled, dropped; write latency).</summary>
    public const string MeterName = "CitySense.Sink";

    /// <summary>
    /// The indicator output: InfluxDB (Influx:Url set) or line-protocol files, behind a buffered sink that batches,
    /// retries and spills (<see cref="ILineSink"/>), and its health check (output). Its keys are checked first: with a
    /// mistake in them nothing is registered and the host refuses to start (<see cref="ConfigurationErrors"/>).
    /// The host adds it before Orleans, so that on shutdown it stops after the grains' last flush.
    /// </summary>
    public static IServiceCollection AddCitySenseOutput(this IServiceCollection services, IConfiguration config)
    {
        if (!ConfigurationErrors.Of(services).Add(OutputConfiguration.Validate(config)))
        {
            return services;
        }

        services.Configure<InfluxOptions>(config.GetSection(InfluxOptions.Section));
        services.AddSingleton<ILineWriter>(sp =>
        {
            var influx = sp.GetRequiredService<IOptions<InfluxOptions>>().Value;
            return influx.UsesServer ? new InfluxLineWriter(influx) : new FileLineWriter(influx, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<BufferedLineSink>();
        services.AddSingleton<ILineSink>(sp => sp.GetRequiredService<BufferedLineSink>());
        services.AddHostedService(sp => sp.GetRequiredService<BufferedLineSink>());
        services.AddHealthChecks().AddCheck<OutputHealthCheck>(HealthSections.Output);
        return services;
    }
}
