using CitySense.Contracts.Configuration;
using Microsoft.Extensions.Configuration;

namespace CitySense.Output;

/// <summary>The InfluxDB output's keys (Influx:*), checked before anything starts.</summary>
public static class OutputConfiguration
{
    public static IReadOnlyList<string> Validate(IConfiguration config)
    {
        var errors = new List<string>();
        var url = config["Influx:Url"];
        if (!string.IsNullOrWhiteSpace(url))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"Influx:Url is '{url}': use an absolute http:// or https:// URL such as http://localhost:8086, or leave it empty to write line-protocol files.");
            }

            if (config["Influx:Bucket"] is { } bucket && string.IsNullOrWhiteSpace(bucket))
            {
                errors.Add("Influx:Bucket is empty: name the bucket to write to (for InfluxDB 1.8 use database/retention-policy).");
            }
        }

        ConfigurationRules.Integer(config, "Influx:BatchBytes", errors, 1024);
        return errors;
    }
}
