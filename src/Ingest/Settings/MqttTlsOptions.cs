namespace CitySense.Ingest.Settings;

/// <summary>The embedded broker's TLS endpoint (section "Mqtt:Tls"). On when <see cref="CertificatePath"/> is set.</summary>
public sealed class MqttTlsOptions
{
    /// <summary>A PKCS#12 (.pfx) file holding the server certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    public int Port { get; set; } = 8883;

    /// <summary>Close the plain-text endpoint (<c>Mqtt:Port</c>) so that secrets and telemetry only travel encrypted.</summary>
    public bool DisablePlainEndpoint { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
