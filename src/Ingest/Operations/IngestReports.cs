using CitySense.Contracts.Operations;
using CitySense.Ingest.Limits;
using CitySense.Ingest.Mqtt;
using CitySense.Ingest.Rejections;
using CitySense.Ingest.Security;
using Microsoft.Extensions.Options;
using CitySense.Ingest.Settings;

namespace CitySense.Ingest.Operations;

/// <summary>The edge's reports for operators, built from its logs and the settings in force.</summary>
internal sealed class IngestReports(
    RejectionLog rejections,
    IOptions<MqttOptions> mqtt,
    CredentialStore credentials,
    PublishRateLimiter limits,
    SecurityLog security) : IIngestReports
{
    public RejectionsReport Rejections() =>
        new(rejections.Total, rejections.ByReason(), rejections.ByCommunity(), rejections.Recent());

    public SecurityReport Security()
    {
        var o = mqtt.Value;
        var embedded = o.Mode == MqttMode.Embedded;
        return new SecurityReport(
            o.Mode.ToString(),
            Authentication: embedded ? credentials.Enabled ? "credentials-file" : "off" : "external-broker",
            Credentials: credentials.Enabled ? credentials.Count : null,
            BindAddress: embedded ? o.BindAddress : null,
            PlainPort: embedded && !(o.Tls.Enabled && o.Tls.DisablePlainEndpoint) ? o.Port : null,
            TlsPort: embedded && o.Tls.Enabled ? o.Tls.Port : null,
            new RateLimitReport(limits.Device.MessagesPerSecond, limits.Device.Burst),
            new RateLimitReport(limits.Connection.MessagesPerSecond, limits.Connection.Burst),
            security.Total,
            security.ByReason(),
            security.Recent());
    }
}
