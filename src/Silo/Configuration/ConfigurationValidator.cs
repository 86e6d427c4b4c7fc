using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CitySense.Ingest.Mqtt;
using CitySense.Ingest.Security;
using Microsoft.Extensions.Configuration;

namespace CitySense.Silo.Configuration;

/// <summary>
/// Checks the documented keys before anything starts, so a mistake stops start-up with a message that names the key
/// and the fix instead of an exception deep in a library.
/// </summary>
public static class ConfigurationValidator
{
    public static IReadOnlyList<string> Validate(IConfiguration config)
    {
        var errors = new List<string>();

        var mode = config["Mqtt:Mode"];
        MqttMode parsedMode = MqttMode.Embedded;
        // Enum.TryParse also takes any number ("2"): only the names are valid.
        if (!string.IsNullOrEmpty(mode) && (!Enum.TryParse(mode, ignoreCase: true, out parsedMode) || !Enum.IsDefined(parsedMode) || char.IsAsciiDigit(mode.TrimStart('-', '+')[0])))
        {
            errors.Add($"Mqtt:Mode is '{mode}': use Embedded (the default, a broker inside the silo) or External (subscribe to Mqtt:Host).");
        }

        if (parsedMode == MqttMode.External && string.IsNullOrWhiteSpace(config["Mqtt:Host"]))
        {
            errors.Add("Mqtt:Host is empty but Mqtt:Mode is External: set Mqtt:Host to the broker's host name (for example Mqtt__Host=broker.local).");
        }

        var provider = config["Orleans:Provider"];
        var parsedProvider = ClusterProvider.Localhost;
        if (!string.IsNullOrEmpty(provider) && (!Enum.TryParse(provider, ignoreCase: true, out parsedProvider) || !Enum.IsDefined(parsedProvider) || char.IsAsciiDigit(provider[0])))
        {
            errors.Add($"Orleans:Provider is '{provider}': use Localhost (one silo, the default) or Redis (a cluster; set Orleans:Redis).");
        }
        else if (parsedProvider == ClusterProvider.Redis && string.IsNullOrWhiteSpace(config["Orleans:Redis"]))
        {
            errors.Add("Orleans:Redis is empty but Orleans:Provider is Redis: set it to the Redis connection string (for example Orleans__Redis=redis:6379).");
        }

        var advertised = config["Orleans:AdvertisedAddress"];
        if (!string.IsNullOrEmpty(advertised) && !System.Net.IPAddress.TryParse(advertised, out _))
        {
            errors.Add($"Orleans:AdvertisedAddress is '{advertised}': use the IP address other silos reach this one at (the pod IP in Kubernetes).");
        }

        Port(config, "Mqtt:Port", errors);
        Port(config, "Orleans:SiloPort", errors);
        Port(config, "Orleans:GatewayPort", errors);

        var bind = config["Mqtt:BindAddress"];
        if (!string.IsNullOrEmpty(bind) && !System.Net.IPAddress.TryParse(bind, out _))
        {
            errors.Add($"Mqtt:BindAddress is '{bind}': use one IP address: 127.0.0.1 or ::1 (loopback), 0.0.0.0 (every IPv4 interface) or :: (every IPv6 interface).");
        }

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

        var zone = config["Alarms:TimeZone"];
        if (!string.IsNullOrEmpty(zone) && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add($"Alarms:TimeZone is '{zone}': use an IANA time zone id such as Asia/Shanghai or UTC.");
        }

        if (config["Registry:DataPath"] is { } registry && string.IsNullOrWhiteSpace(registry))
        {
            errors.Add("Registry:DataPath is empty: name a folder for the device registry, or leave the key out to use {Influx:DataPath}/state.");
        }

        Positive(config, "Indicators:Window", errors, TimeSpan.FromSeconds(1));
        Positive(config, "Indicators:TimelyWithin", errors, TimeSpan.Zero);
        Positive(config, "Indicators:AllowedLateness", errors, TimeSpan.Zero);
        Positive(config, "Liveness:MinimumSilence", errors, TimeSpan.FromSeconds(1));
        Positive(config, "Liveness:CheckInterval", errors, TimeSpan.FromMilliseconds(10));
        Positive(config, "Indicators:FlushInterval", errors, TimeSpan.FromMilliseconds(100));
        Integer(config, "Indicators:WindowsKept", errors, 1);
        Integer(config, "Ingest:MaxPayloadBytes", errors, 64);
        Integer(config, "Ingest:MaxReadingsPerMessage", errors, 1);
        Integer(config, "Ingest:MaxBatchReadings", errors, 1);
        Integer(config, "Ingest:MaxQueuedBatches", errors, 1);
        Integer(config, "Influx:BatchBytes", errors, 1024);
        Integer(config, "Mqtt:Connections", errors, 1);
        Integer(config, "State:ExtraWindowsStored", errors, 0);
        Integer(config, "Devices:Shards", errors, 1);
        Positive(config, "Ingest:ApplyRetryFor", errors, TimeSpan.Zero);
        Positive(config, "Ingest:BatchDelay", errors, TimeSpan.Zero);
        Positive(config, "Live:AreaInterval", errors, TimeSpan.Zero);
        // The dashboard refuses to sample more often than once a second.
        Positive(config, "Dashboard:CounterInterval", errors, TimeSpan.FromSeconds(1));
        if (config["Dashboard:Enabled"] is { Length: > 0 } enabled && !bool.TryParse(enabled, out _))
        {
            errors.Add($"Dashboard:Enabled is '{enabled}': use true or false.");
        }
        Security(config, parsedMode, errors);
        return errors;
    }

    private static void Security(IConfiguration config, MqttMode mode, List<string> errors)
    {
        var credentials = config["Mqtt:CredentialsFile"];
        if (!string.IsNullOrWhiteSpace(credentials))
        {
            if (mode == MqttMode.External)
            {
                errors.Add("Mqtt:CredentialsFile is set but Mqtt:Mode is External: device credentials are then the external broker's (mosquitto password_file and acl_file, docs/security.md); remove the key.");
            }
            else if (!File.Exists(credentials))
            {
                errors.Add($"Mqtt:CredentialsFile is '{credentials}' but there is no such file: create it with 'dotnet run --project src/Silo -- hash-secret' (docs/security.md).");
            }
            else
            {
                foreach (var problem in CredentialFile.Load(credentials).Errors)
                {
                    errors.Add($"Mqtt:CredentialsFile {credentials}, {problem}.");
                }
            }
        }

        var certificate = config["Mqtt:Tls:CertificatePath"];
        if (!string.IsNullOrWhiteSpace(certificate))
        {
            try
            {
                using var loaded = X509CertificateLoader.LoadPkcs12FromFile(certificate, config["Mqtt:Tls:CertificatePassword"]);
                if (!loaded.HasPrivateKey)
                {
                    errors.Add($"Mqtt:Tls:CertificatePath {certificate} holds no private key: export the certificate with its key as PKCS#12 (.pfx).");
                }
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"Mqtt:Tls:CertificatePath {certificate} cannot be loaded ({ex.Message.TrimEnd('.')}): give a PKCS#12 (.pfx) file and its password in Mqtt:Tls:CertificatePassword.");
            }
        }

        Port(config, "Mqtt:Tls:Port", errors);
        if (config.GetValue<bool>("Mqtt:Tls:DisablePlainEndpoint") && string.IsNullOrWhiteSpace(certificate))
        {
            errors.Add("Mqtt:Tls:DisablePlainEndpoint is true but Mqtt:Tls:CertificatePath is empty: the broker would listen nowhere; configure the certificate.");
        }

        foreach (var limit in (string[])["Ingest:DeviceRateLimit", "Ingest:ConnectionRateLimit"])
        {
            var rate = config[limit + ":MessagesPerSecond"];
            if (!string.IsNullOrEmpty(rate) && (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var perSecond) || !double.IsFinite(perSecond) || perSecond < 0))
            {
                errors.Add($"{limit}:MessagesPerSecond is '{rate}': use a number of messages per second, 0 for no limit.");
            }

            Integer(config, limit + ":Burst", errors, 0);
        }
    }

    private static void Port(IConfiguration config, string key, List<string> errors)
    {
        var value = config[key];
        if (!string.IsNullOrEmpty(value) && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535))
        {
            errors.Add($"{key} is '{value}': use a TCP port number from 1 to 65535.");
        }
    }

    private static void Positive(IConfiguration config, string key, List<string> errors, TimeSpan minimum)
    {
        var value = config[key];
        if (!string.IsNullOrEmpty(value) && (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) || span < minimum))
        {
            errors.Add($"{key} is '{value}': use a duration of at least {minimum.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s written hh:mm:ss (for example 00:01:00).");
        }
    }

    private static void Integer(IConfiguration config, string key, List<string> errors, long minimum)
    {
        var value = config[key];
        // Every integer option binds to an int: a larger value would fail later, at binding, with a worse message.
        if (!string.IsNullOrEmpty(value) && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < minimum))
        {
            errors.Add($"{key} is '{value}': use a whole number of at least {minimum}.");
        }
    }
}
