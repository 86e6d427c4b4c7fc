using CitySense.Contracts.Configuration;
using Microsoft.Extensions.Configuration;

namespace CitySense.Live;

/// <summary>The live path's keys (Live:*), checked before anything starts.</summary>
public static class LiveConfiguration
{
    public static IReadOnlyList<string> Validate(IConfiguration config)
    {
        var errors = new List<string>();
        ConfigurationRules.Duration(config, "Live:AreaInterval", errors, TimeSpan.Zero);
        ConfigurationRules.Duration(config, "Live:StreamInterval", errors, TimeSpan.Zero);
        ConfigurationRules.Duration(config, "Live:StreamCacheAge", errors, TimeSpan.FromSeconds(1));
        ConfigurationRules.Duration(config, "Live:StreamConsumerCheck", errors, TimeSpan.Zero);
        ConfigurationRules.Boolean(config, "Live:CommunityFanOut", errors);
        ConfigurationRules.Boolean(config, "Live:RetainCommunityIndicators", errors);
        return errors;
    }
}
