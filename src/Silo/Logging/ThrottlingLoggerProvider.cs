using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CitySense.Silo.Logging;

/// <summary>Wraps a logging provider (console, ...) so that every logger it makes goes through the shared <see cref="LogThrottle"/>.</summary>
public sealed class ThrottlingLoggerProvider(ILoggerProvider inner, LogThrottle throttle) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new ThrottlingLogger(inner.CreateLogger(categoryName), categoryName, throttle);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose() => inner.Dispose();

    /// <summary>Replaces every registered logging provider by itself wrapped; call once every provider is registered.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        services.AddSingleton<LogThrottle>();
        var providers = services.Where(d => d.ServiceType == typeof(ILoggerProvider) && !d.IsKeyedService).ToList();
        foreach (var descriptor in providers)
        {
            services.Remove(descriptor);
            services.Add(ServiceDescriptor.Singleton<ILoggerProvider>(sp =>
                new ThrottlingLoggerProvider(Create(sp, descriptor), sp.GetRequiredService<LogThrottle>())));
        }
    }

    private static ILoggerProvider Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (ILoggerProvider)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
