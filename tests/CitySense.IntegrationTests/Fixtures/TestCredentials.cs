using CitySense.Ingest.Security;

namespace CitySense.IntegrationTests.Fixtures;

/// <summary>A credentials file (Mqtt:CredentialsFile) written the way hash-secret writes it, in a temporary folder.</summary>
public sealed class TestCredentials : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("citysense-credentials-").FullName;
    private readonly List<string> _lines = [];

    public TestCredentials() => Path = System.IO.Path.Combine(_folder, "credentials.jsonl");

    public string Path { get; }

    /// <summary>Adds an entry; the cheapest allowed PBKDF2 keeps the tests fast (the cost is not what they test).</summary>
    public TestCredentials Add(string user, string scope, string secret, CredentialRole role = CredentialRole.Device)
    {
        _lines.Add(CredentialFile.Format(new DeviceCredential(user, role, scope, SecretHash.Create(secret, SecretHash.MinIterations))));
        File.WriteAllLines(Path, _lines);
        return this;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
