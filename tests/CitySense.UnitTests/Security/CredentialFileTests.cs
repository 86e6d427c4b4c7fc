using CitySense.Ingest.Security;

namespace CitySense.UnitTests.Security;

public sealed class CredentialFileTests
{
    private static readonly string Hash = SecretHash.Create("s", SecretHash.MinIterations).ToString();

    [Fact]
    public void Devices_gateways_and_services_are_read_and_comments_and_blank_lines_skipped()
    {
        var (credentials, errors) = CredentialFile.Parse(
        [
            "# meters of c1",
            Line("w1", "city/d1/c1/water/w1"),
            "",
            Line("gw1", "city/d1/c1/gateway/gw1"),
            $$"""{"user":"sim","role":"service","scope":"city/#","secret":"{{Hash}}"}""",
        ]);

        Assert.Empty(errors);
        Assert.Equal(3, credentials.Count);
        Assert.Equal(CredentialRole.Device, credentials["gw1"].Role);
        Assert.Equal(CredentialRole.Service, credentials["sim"].Role);
        Assert.Equal("city/d1/c1/water/w1", credentials["w1"].Scope);
    }

    [Theory]
    [InlineData("""{"user":"w1","scope":"city/d1/c1/water/w2","secret":"$H"}""", "must end with the user name")]
    [InlineData("""{"user":"w1","scope":"city/d1/c1/water/#","secret":"$H"}""", "must be its telemetry topic")]
    [InlineData("""{"user":"w1","scope":"city/#","secret":"$H"}""", "must be its telemetry topic")]
    [InlineData("""{"user":"w 1","scope":"city/d1/c1/water/w 1","secret":"$H"}""", "must match")]
    [InlineData("""{"user":"sim","role":"service","scope":"city/#/x","secret":"$H"}""", "not a valid MQTT topic filter")]
    [InlineData("""{"user":"w1","scope":"city/d1/c1/water/w1","secret":"hunter2"}""", "make one with hash-secret")]
    [InlineData("""{"user":"w1","scope":"city/d1/c1/water/w1"}""", "are required")]
    [InlineData("""{"user":"w1","scope":"city/d1/c1/water/w1","secret":"$H","extra":"1"}""", "unknown property")]
    [InlineData("""{"user":"w1","scope":"city/d1/c1/water/w1","secret":"$H","role":"admin"}""", "is not device or service")]
    [InlineData("""{"user":1,"scope":"city/d1/c1/water/w1","secret":"$H"}""", "must be a string")]
    [InlineData("""["w1"]""", "one JSON object")]
    [InlineData("""{"user":"w1",""", "not a JSON object")]
    public void A_bad_line_is_reported_with_its_number_and_nothing_is_loaded(string line, string problem)
    {
        var (credentials, errors) = CredentialFile.Parse([Line("ok", "city/d1/c1/water/ok"), line.Replace("$H", Hash, StringComparison.Ordinal)]);

        Assert.Empty(credentials);
        var error = Assert.Single(errors);
        Assert.StartsWith("line 2: ", error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_listed_twice_is_an_error()
    {
        var (_, errors) = CredentialFile.Parse([Line("w1", "city/d1/c1/water/w1"), Line("w1", "city/d1/c1/water/w1")]);

        Assert.Equal("line 2: user 'w1' appears twice", Assert.Single(errors));
    }

    [Fact]
    public void An_error_never_shows_the_secret()
    {
        var (_, errors) = CredentialFile.Parse(["""{"user":"w1","scope":"city/d1/c1/water/w1","secret":"my-plain-secret"}"""]);

        Assert.DoesNotContain("my-plain-secret", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_formatted_line_reads_back_as_the_same_credential()
    {
        var credential = new DeviceCredential("gw-7", CredentialRole.Device, "city/d1/c1/gateway/gw-7", SecretHash.Create("p", SecretHash.MinIterations));

        var (credentials, errors) = CredentialFile.Parse([CredentialFile.Format(credential)]);

        Assert.Empty(errors);
        Assert.Equal(credential.Scope, credentials["gw-7"].Scope);
        Assert.True(credentials["gw-7"].Secret.Verify("p"u8));
    }

    private static string Line(string user, string scope) => $$"""{"user":"{{user}}","scope":"{{scope}}","secret":"{{Hash}}"}""";
}
