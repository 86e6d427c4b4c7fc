using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CitySense.Ingest.Security;
using CitySense.Silo.Configuration;
using Microsoft.Extensions.Configuration;

namespace CitySense.UnitTests.Configuration;

/// <summary>The security keys stop start-up with a message naming the key when they cannot work.</summary>
public sealed class SecurityConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("citysense-seccfg-").FullName;

    [Fact]
    public void A_valid_credentials_file_and_certificate_pass()
    {
        var credentials = Path.Combine(_folder, "credentials.jsonl");
        File.WriteAllText(credentials, CredentialFile.Format(new DeviceCredential("w1", CredentialRole.Device, "city/d1/c1/water/w1", SecretHash.Create("s", SecretHash.MinIterations))));
        var certificate = WriteCertificate("pfx-password");

        var errors = Validate(
            ("Mqtt:CredentialsFile", credentials),
            ("Mqtt:Tls:CertificatePath", certificate),
            ("Mqtt:Tls:CertificatePassword", "pfx-password"),
            ("Mqtt:Tls:Port", "8883"),
            ("Mqtt:Tls:DisablePlainEndpoint", "true"),
            ("Ingest:DeviceRateLimit:MessagesPerSecond", "0.5"),
            ("Ingest:DeviceRateLimit:Burst", "10"));

        Assert.Empty(errors);
    }

    [Fact]
    public void A_missing_credentials_file_is_named()
    {
        var error = Assert.Single(Validate(("Mqtt:CredentialsFile", Path.Combine(_folder, "nope.jsonl"))));

        Assert.StartsWith("Mqtt:CredentialsFile", error, StringComparison.Ordinal);
        Assert.Contains("hash-secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_bad_line_of_the_credentials_file_is_named()
    {
        var credentials = Path.Combine(_folder, "credentials.jsonl");
        File.WriteAllLines(credentials, ["# ok", """{"user":"w1","scope":"city/d1/c1/water/w2","secret":"x"}"""]);

        var error = Assert.Single(Validate(("Mqtt:CredentialsFile", credentials)));

        Assert.Contains("line 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credentials_file_in_external_mode_is_refused_rather_than_silently_ignored()
    {
        var error = Assert.Single(Validate(("Mqtt:Mode", "External"), ("Mqtt:Host", "broker"), ("Mqtt:CredentialsFile", "x.jsonl")));

        Assert.Contains("password_file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_with_the_wrong_password_is_named()
    {
        var certificate = WriteCertificate("right");

        var error = Assert.Single(Validate(("Mqtt:Tls:CertificatePath", certificate), ("Mqtt:Tls:CertificatePassword", "wrong")));

        Assert.StartsWith("Mqtt:Tls:CertificatePath", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Closing_the_plain_endpoint_without_a_certificate_is_refused()
    {
        var error = Assert.Single(Validate(("Mqtt:Tls:DisablePlainEndpoint", "true")));

        Assert.StartsWith("Mqtt:Tls:DisablePlainEndpoint", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ingest:DeviceRateLimit:MessagesPerSecond", "-1")]
    [InlineData("Ingest:DeviceRateLimit:MessagesPerSecond", "fast")]
    [InlineData("Ingest:ConnectionRateLimit:MessagesPerSecond", "NaN")]
    [InlineData("Ingest:ConnectionRateLimit:Burst", "-5")]
    [InlineData("Mqtt:Tls:Port", "70000")]
    public void A_bad_limit_or_port_is_named(string key, string value)
    {
        var error = Assert.Single(Validate((key, value)));

        Assert.StartsWith(key, error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteCertificate(string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(_folder, "server.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    private static IReadOnlyList<string> Validate(params (string Key, string Value)[] settings) =>
        ConfigurationValidator.Validate(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());
}
