using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CitySense.IntegrationTests.Fixtures;

/// <summary>A self-signed server certificate for 127.0.0.1, made in the test and written as a password-protected PFX.</summary>
public sealed class TestCertificate : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("citysense-tls-").FullName;

    public TestCertificate(string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=citysense-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        Thumbprint = certificate.Thumbprint;
        PfxPath = Path.Combine(_folder, "server.pfx");
        File.WriteAllBytes(PfxPath, certificate.Export(X509ContentType.Pfx, password));
    }

    public string PfxPath { get; }

    /// <summary>What a client pins instead of trusting a CA (there is none here).</summary>
    public string Thumbprint { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
