using System.Globalization;
using System.Net;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Edge;

/// <summary>Mqtt:BindAddress governs every listener of the embedded broker, plain and TLS, IPv4 and IPv6.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ListeningSocketTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task The_embedded_broker_listens_on_its_bind_address_and_nowhere_else(string bindAddress)
    {
        using var certificate = new TestCertificate("pfx-password");
        var tlsPort = FreePort.Next();
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:BindAddress"] = bindAddress,
            ["Mqtt:Tls:CertificatePath"] = certificate.PfxPath,
            ["Mqtt:Tls:CertificatePassword"] = "pfx-password",
            ["Mqtt:Tls:Port"] = tlsPort.ToString(CultureInfo.InvariantCulture),
        });

        foreach (var port in new[] { silo.MqttPort, tlsPort })
        {
            var listening = ListeningSockets.On(port);
            Assert.Equal([IPAddress.Parse(bindAddress)], listening);
        }

        // And HTTP keeps to its configured loopback address.
        Assert.Equal([IPAddress.Loopback], ListeningSockets.On(silo.HttpPort));
    }

    [Fact]
    public async Task The_default_bind_address_is_IPv4_loopback_only()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());

        Assert.Equal([IPAddress.Loopback], ListeningSockets.On(silo.MqttPort));
    }
}
