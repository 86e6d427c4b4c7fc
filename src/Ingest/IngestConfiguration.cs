using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CitySense.Contracts.Configuration;
using CitySense.Ingest.Mqtt;
using CitySense.Ingest.Security;
using Microsoft.Extensions.Configuration;
using CitySense.Ingest.Settings;

namespace CitySense.Ingest;

/// <summary>The MQTT edge's keys (Mqtt:*, Ingest:*), checked before anything starts.</summary>
public static class IngestConfiguration
{
    public static IReadOnlyList<string> Validate(IConfiguration config)
    {
        var errors = new List<string>();
        if (!ConfigurationRules.Enum(config, "Mqtt:Mode", MqttMode.Embedded, out var mode))
        {
            errors.Add($"Mqtt:Mode is '{config["Mqtt:Mode"]}': use Embedded (the default, a broker inside the silo) or External (subscribe to Mqtt:Host).");
        }

        if (mode == MqttMode.External && string.IsNullOrWhiteSpace(config["Mqtt:Host"]))
        {
            errors.Add("Mqtt:Host is empty but Mqtt:Mode is External: set Mqtt:Host to the broker's host name (for example Mqtt__Host=broker.local).");
        }

        ConfigurationRules.Port(config, "Mqtt:Port", errors);
        var bind = config["Mqtt:BindAddress"];
        if (!string.IsNullOrEmpty(bind) && !System.Net.IPAddress.TryParse(bind, out _))
        {
            errors.Add($"Mqtt:BindAddress is '{bind}': use one IP address: 127.0.0.1 or ::1 (loopback), 0.0.0.0 (every IPv4 interface) or :: (every IPv6 interface).");
        }

        ConfigurationRules.Integer(config, "Ingest:MaxPayloadBytes", errors, 64);
        ConfigurationRules.Integer(config, "Ingest:MaxReadingsPerMessage", errors, 1);
        ConfigurationRules.Integer(config, "Ingest:MaxBatchReadings", errors, 1);
        ConfigurationRules.Integer(config, "Ingest:MaxQueuedBatches", errors, 1);
        ConfigurationRules.Integer(config, "Mqtt:Connections", errors, 1);
        ConfigurationRules.Duration(config, "Ingest:BatchDelay", errors, TimeSpan.Zero);
        Security(config, mode, errors);
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

        ConfigurationRules.Port(config, "Mqtt:Tls:Port", errors);
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

            ConfigurationRules.Integer(config, limit + ":Burst", errors, 0);
        }
    }
}
