using CitySense.Contracts.Subscriptions;
using Microsoft.Extensions.DependencyInjection;

namespace CitySense.Api.Ngsi.Subscriptions;

public static class SubscriptionsRegistration
{
    /// <summary>
    /// The silo's subscription matcher, as the hook community grains call (replacing the grains' no-op default) and as a
    /// hosted service.
    /// </summary>
    public static IServiceCollection AddNgsiSubscriptions(this IServiceCollection services)
    {
        services.AddSingleton<SubscriptionMatcher>();
        services.AddSingleton<ISubscriptionChanges>(sp => sp.GetRequiredService<SubscriptionMatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<SubscriptionMatcher>());
        return services;
    }
}
