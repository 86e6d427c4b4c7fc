using System.Text;
using CitySense.Ingest.Mqtt;
using CitySense.Ingest.Security;
using Microsoft.Extensions.Logging.Abstractions;
using CitySense.Ingest.Settings;

namespace CitySense.UnitTests.Security;

public sealed class CredentialStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("citysense-credentials-").FullName;
    private readonly string _path;

    public CredentialStoreTests()
    {
        _path = Path.Combine(_folder, "credentials.jsonl");
        Write(("w1", "city/d1/c1/water/w1", "secret-1"), ("gw1", "city/d1/c1/gateway/gw1", "secret-gw"));
    }

    [Fact]
    public void Without_a_credentials_file_authentication_is_off()
    {
        var store = new CredentialStore(Microsoft.Extensions.Options.Options.Create(new MqttOptions()), NullLogger<CredentialStore>.Instance);

        Assert.False(store.Enabled);
        Assert.Null(store.Find("w1"));
    }

    [Fact]
    public async Task A_device_with_its_secret_and_its_own_client_id_is_let_in()
    {
        var result = await Store().AuthenticateAsync("w1", Bytes("secret-1"), "w1", CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("city/d1/c1/water/w1", result.Credential!.Scope);
    }

    [Theory]
    [InlineData("w1", "secret-2", "w1", SecurityReason.BadSecret)]
    [InlineData("w1", "secret-gw", "w1", SecurityReason.BadSecret)]
    [InlineData("w9", "secret-1", "w9", SecurityReason.UnknownUser)]
    [InlineData("", "secret-1", "w1", SecurityReason.MissingCredentials)]
    [InlineData(null, "secret-1", "w1", SecurityReason.MissingCredentials)]
    [InlineData("w1", "", "w1", SecurityReason.MissingCredentials)]
    [InlineData("w1", "secret-1", "gw1", SecurityReason.ClientIdNotOwned)]
    [InlineData("w1", "secret-1", "w10", SecurityReason.ClientIdNotOwned)]
    [InlineData("w1", "secret-1", "", SecurityReason.ClientIdNotOwned)]
    public async Task A_connection_is_refused_for_the_first_thing_wrong_with_it(string? user, string password, string clientId, SecurityReason reason)
    {
        var result = await Store().AuthenticateAsync(user, Bytes(password), clientId, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(reason, result.Failure);
    }

    [Fact]
    public async Task A_client_id_of_the_user_name_and_a_suffix_after_a_colon_is_the_users_own()
    {
        var result = await Store().AuthenticateAsync("w1", Bytes("secret-1"), "w1:backup", CancellationToken.None);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_even_after_the_right_one_was_remembered()
    {
        var store = Store();
        Assert.True((await store.AuthenticateAsync("w1", Bytes("secret-1"), "w1", CancellationToken.None)).Succeeded);

        var wrong = await store.AuthenticateAsync("w1", Bytes("secret-X"), "w1", CancellationToken.None);
        var right = await store.AuthenticateAsync("w1", Bytes("secret-1"), "w1", CancellationToken.None);

        Assert.Equal(SecurityReason.BadSecret, wrong.Failure);
        Assert.True(right.Succeeded);
    }

    [Fact]
    public async Task A_device_added_to_the_file_is_let_in_and_a_removed_one_is_revoked_without_a_restart()
    {
        var store = Store();
        Assert.True((await store.AuthenticateAsync("w1", Bytes("secret-1"), "w1", CancellationToken.None)).Succeeded);

        Write(("w2", "city/d1/c1/water/w2", "secret-2"));
        File.SetLastWriteTimeUtc(_path, DateTime.UtcNow.AddSeconds(5));

        Assert.True((await store.AuthenticateAsync("w2", Bytes("secret-2"), "w2", CancellationToken.None)).Succeeded);
        Assert.Equal(SecurityReason.UnknownUser, (await store.AuthenticateAsync("w1", Bytes("secret-1"), "w1", CancellationToken.None)).Failure);
        Assert.Null(store.Find("w1"));
    }

    [Fact]
    public async Task A_file_broken_while_running_keeps_the_previous_credentials()
    {
        var store = Store();

        File.WriteAllText(_path, "{ half a line");
        File.SetLastWriteTimeUtc(_path, DateTime.UtcNow.AddSeconds(5));

        Assert.True((await store.AuthenticateAsync("w1", Bytes("secret-1"), "w1", CancellationToken.None)).Succeeded);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void A_file_broken_at_start_up_stops_the_broker()
    {
        File.WriteAllText(_path, """{"user":"w1","scope":"city/d1/c1/water/w2","secret":"x"}""");

        var error = Assert.Throws<InvalidOperationException>(Store);
        Assert.Contains("line 1", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private CredentialStore Store() =>
        new(Microsoft.Extensions.Options.Options.Create(new MqttOptions { CredentialsFile = _path }), NullLogger<CredentialStore>.Instance);

    private void Write(params (string User, string Scope, string Secret)[] entries) =>
        File.WriteAllLines(_path, entries.Select(e =>
            CredentialFile.Format(new DeviceCredential(e.User, CredentialRole.Device, e.Scope, SecretHash.Create(e.Secret, SecretHash.MinIterations)))));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
