using System.Globalization;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using MQTTnet;
using Xunit;

namespace CitySense.IntegrationTests.Security;

/// <summary>The embedded broker's TLS endpoint, with a self-signed certificate made by the test.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class EmbeddedBrokerTlsTests
{
    [Fact]
    public async Task A_device_publishes_over_tls_to_a_pinned_certificate_while_the_plain_endpoint_is_closed()
    {
        using var certificate = new TestCertificate("pfx-password");
        using var credentials = new TestCredentials().Add("tls-w1", "city/tls/c1/water/tls-w1", "tls-secret");
        var tlsPort = FreePort.Next();
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:CredentialsFile"] = credentials.Path,
            ["Mqtt:Tls:CertificatePath"] = certificate.PfxPath,
            ["Mqtt:Tls:CertificatePassword"] = "pfx-password",
            ["Mqtt:Tls:Port"] = tlsPort.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Tls:DisablePlainEndpoint"] = "true",
        });
        string? presented = null;

        await using (var device = await Publisher.ConnectAsync(tlsPort, "tls-w1", b => b
            .WithCredentials("tls-w1", "tls-secret")
            .WithTlsOptions(tls => tls.UseTls().WithTargetHost("127.0.0.1").WithCertificateValidationHandler(e =>
            {
                // No CA here: the device pins the server certificate, as a field device would.
                presented = e.Certificate.GetCertHashString();
                return string.Equals(presented, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase);
            }))))
        {
            var code = await device.PublishAsync("city/tls/c1/water/tls-w1", string.Create(CultureInfo.InvariantCulture,
                $$"""{"ts":{{DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds()}},"total":3}"""));
            Assert.True(code is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers, $"PUBACK {code}");
        }

        Assert.Equal(certificate.Thumbprint, presented, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(1, (await silo.GetJsonAsync("/api/devices/tls-w1"))!.Value.GetProperty("accepted").GetInt64());

        // Nothing listens on the plain port, and a client that does not accept the certificate does not get in.
        Assert.Null(await MqttConnect.TryAsync(silo.MqttPort, "tls-w1", "tls-w1", "tls-secret"));
        Assert.Null(await MqttConnect.TryAsync(tlsPort, "tls-w1", "tls-w1", "tls-secret", b => b.WithTlsOptions(tls => tls.UseTls().WithTargetHost("127.0.0.1"))));

        var security = (await silo.GetJsonAsync("/api/security"))!.Value;
        Assert.Equal(tlsPort, security.GetProperty("tlsPort").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, security.GetProperty("plainPort").ValueKind);
    }
}
