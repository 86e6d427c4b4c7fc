using CitySense.Contracts.Configuration;
using Microsoft.Extensions.Configuration;

namespace CitySense.Silo.Configuration;

/// <summary>The host's own keys (Orleans:*, Registry:*, Dashboard:*), checked before anything starts.</summary>
public static class SiloConfiguration
{
    public static IReadOnlyList<string> Validate(IConfiguration config)
    {
        var errors = new List<string>();
        if (!ConfigurationRules.Enum(config, "Orleans:Provider", ClusterProvider.Localhost, out var provider))
        {
            errors.Add($"Orleans:Provider is '{config["Orleans:Provider"]}': use Localhost (one silo, the default) or Redis (a cluster; set Orleans:Redis).");
        }
        else if (provider == ClusterProvider.Redis && string.IsNullOrWhiteSpace(config["Orleans:Redis"]))
        {
            errors.Add("Orleans:Redis is empty but Orleans:Provider is Redis: set it to the Redis connection string (for example Orleans__Redis=redis:6379).");
        }

        if (!ConfigurationRules.Enum(config, "Orleans:Placement", GrainPlacement.ResourceOptimized, out _))
        {
            errors.Add($"Orleans:Placement is '{config["Orleans:Placement"]}': use ResourceOptimized (Orleans' default) or Random.");
        }

        var advertised = config["Orleans:AdvertisedAddress"];
        if (!string.IsNullOrEmpty(advertised) && !System.Net.IPAddress.TryParse(advertised, out _))
        {
            errors.Add($"Orleans:AdvertisedAddress is '{advertised}': use the IP address other silos reach this one at (the pod IP in Kubernetes).");
        }

        ConfigurationRules.Port(config, "Orleans:SiloPort", errors);
        ConfigurationRules.Port(config, "Orleans:GatewayPort", errors);
        if (config["Registry:DataPath"] is { } registry && string.IsNullOrWhiteSpace(registry))
        {
            errors.Add("Registry:DataPath is empty: name a folder for the device registry, or leave the key out to use {Influx:DataPath}/state.");
        }

        // The dashboard refuses to sample more often than once a second.
        ConfigurationRules.Duration(config, "Dashboard:CounterInterval", errors, TimeSpan.FromSeconds(1));
        ConfigurationRules.Boolean(config, "Dashboard:Enabled", errors);
        return errors;
    }
}
