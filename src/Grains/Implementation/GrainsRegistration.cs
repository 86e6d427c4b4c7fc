using CitySense.Contracts.Alarms;
using CitySense.Contracts.Configuration;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Routing;
using CitySense.Grains.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;

namespace CitySense.Grains;

public static class GrainsRegistration
{
    /// <summary>
    /// The hierarchy: the router readings enter it by (<see cref="IReadingRouter"/>) and the grains' settings: indicator
    /// windows, register rules, device shards, state storage, liveness and alarms (the grains themselves are found by
    /// Orleans). Its keys are checked first: with a mistake in them nothing is
    /// registered and the host refuses to start (<see cref="ConfigurationErrors"/>).
    /// </summary>
    /// <param name="durableState">
    /// A cluster with a durable store: area state is stored after every batch and at shutdown. The embedded default's
    /// memory storage dies with the process, so neither is worth it there. State:* overrides both ways.
    /// </param>
    public static IServiceCollection AddCitySenseGrains(this IServiceCollection services, IConfiguration config, bool durableState)
    {
        if (!ConfigurationErrors.Of(services).Add(GrainsConfiguration.Validate(config)))
        {
            return services;
        }

        services.Configure<IndicatorOptions>(config.GetSection(IndicatorOptions.Section));
        services.Configure<RegisterOptions>(config.GetSection(RegisterOptions.Section));
        services.Configure<DeviceOptions>(config.GetSection(DeviceOptions.Section));
        services.Configure<LivenessOptions>(config.GetSection(LivenessOptions.Section));
        services.Configure<AlarmOptions>(config.GetSection(AlarmOptions.Section));
        services.Configure<VeeOptions>(config.GetSection(VeeOptions.Section));
        services.Configure<CitySense.Contracts.Scenarios.ScenarioOptions>(config.GetSection(CitySense.Contracts.Scenarios.ScenarioOptions.Section));
        services.Configure<RoutingOptions>(config.GetSection(RoutingOptions.Section));
        services.AddSingleton<IReadingRouter, HierarchyRouter>();
        services.Configure<Subscriptions.SubscriptionOptions>(config.GetSection(Subscriptions.SubscriptionOptions.Section));
        services.Configure<CitySense.Contracts.History.HistoryOptions>(config.GetSection(CitySense.Contracts.History.HistoryOptions.Section));
        services.AddCitySenseGrainServices();
        services.Configure<StateOptions>(o =>
        {
            o.WriteEveryBatch = durableState;
            o.StoreOnShutdown = durableState;
            config.GetSection(StateOptions.Section).Bind(o);
        });
        return services;
    }

    /// <summary>
    /// The services the grains take besides their options: every host of the grains adds these (the silo through
    /// <see cref="AddCitySenseGrains"/>, test clusters directly), so a grain's new dependency is added in one place.
    /// </summary>
    public static IServiceCollection AddCitySenseGrainServices(this IServiceCollection services)
    {
        services.AddSingleton<History.HistoryContext>();
        // Shards, communities and districts live on the silo that owns them; routers send each silo its share.
        services.AddPlacementDirector<Placement.ShardOwnerPlacement, Placement.OwnerPlacementDirector>();
        services.AddPlacementDirector<Placement.AreaOwnerPlacement, Placement.OwnerPlacementDirector>();
        services.AddPlacementDirector<Placement.SiloPlacement, Placement.OwnerPlacementDirector>();
        services.AddSingleton<Placement.IngestOwners>();
        // Areas stop reporting to the level above when the silo starts to stop, before its grains deactivate.
        services.AddSingleton<AreaReports>();
        services.AddSingleton<CommunityBudgets>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<AreaReports>());
        // NGSI-LD subscriptions: delivery (the grains), and the hook community grains call; the API replaces the hook.
        services.AddSingleton<Subscriptions.NotificationSender>();
        services.AddSingleton<Subscriptions.SubscriptionMetrics>();
        services.TryAddSingleton<CitySense.Contracts.Subscriptions.ISubscriptionChanges, CitySense.Contracts.Subscriptions.NoSubscriptionChanges>();
        return services;
    }
}
