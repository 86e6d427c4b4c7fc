using CitySense.Grains;
using CitySense.Ingest;
using CitySense.Live;
using CitySense.Output;
using Microsoft.Extensions.Configuration;

namespace CitySense.Silo.Configuration;

/// <summary>
/// Every part's configuration check at once, as the host runs them while the parts register (CitySenseHost): for
/// tools and tests that check a configuration (a deploy file's settings) without building a silo.
/// </summary>
public static class ConfigurationValidator
{
    public static IReadOnlyList<string> Validate(IConfiguration config) =>
    [
        .. SiloConfiguration.Validate(config),
        .. OutputConfiguration.Validate(config),
        .. GrainsConfiguration.Validate(config),
        .. LiveConfiguration.Validate(config),
        .. IngestConfiguration.Validate(config),
    ];
}
