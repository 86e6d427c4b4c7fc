using CitySense.Contracts.Configuration;
using CitySense.Contracts.Live;
using CitySense.Contracts.Operations;
using CitySense.Contracts.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CitySense.Live;

public static class LiveRegistration
{
    /// <summary>
    /// The live path of one silo: the feed area grains call, the pump, the SSE/WebSocket hub, the alarm book, the
    /// stream publisher and the MQTT republisher. The silo also needs the memory stream provider
    /// <see cref="LiveStreams.Provider"/> and a "PubSubStore" grain storage (CitySenseHost). Its keys are checked first:
    /// with a mistake in them nothing is registered and the host refuses to start (<see cref="ConfigurationErrors"/>).
    /// The host adds it before Orleans, so that its services outlive the grains' last applies.
    /// </summary>
    public static IServiceCollection AddCitySenseLive(this IServiceCollection services, IConfiguration configuration)
    {
        if (!ConfigurationErrors.Of(services).Add(LiveConfiguration.Validate(configuration)))
        {
            return services;
        }

        services.Configure<LiveOptions>(configuration.GetSection(LiveOptions.Section));
        services.AddSingleton<LiveStats>();
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<ILiveFeed>(sp => sp.GetRequiredService<LiveFeed>());
        services.AddSingleton<AlarmBook>();
        services.AddSingleton<LiveHub>();
        services.AddSingleton<IKeptTopics, KeptCommunityFigures>();
        services.AddSingleton<StreamPublisher>();
        services.AddSingleton<MqttRepublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<StreamPublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<MqttRepublisher>());
        services.AddHostedService<LivePump>();
        services.AddHealthChecks().AddCheck<LiveHealthCheck>(HealthSections.Live);
        return services;
    }
}
