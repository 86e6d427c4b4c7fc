using CitySense.Ingest.Security;
using CitySense.Silo.Tools;

namespace CitySense.UnitTests.Tools;

public sealed class HashSecretCommandTests
{
    [Fact]
    public void A_generated_secret_is_shown_once_on_standard_error_and_its_hash_line_verifies_it()
    {
        var (code, output, error) = Run([], "--user", "w-1", "--scope", "city/d1/c1/water/w-1", "--iterations", "1000");

        Assert.Equal(0, code);
        var secret = error.Trim().Split(' ')[^1];
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        var (credentials, errors) = CredentialFile.Parse([output.Trim()]);
        Assert.Empty(errors);
        Assert.True(credentials["w-1"].Secret.Verify(System.Text.Encoding.UTF8.GetBytes(secret)));
        Assert.Equal(1000, credentials["w-1"].Secret.Iterations);
    }

    [Fact]
    public void A_secret_read_from_standard_input_is_never_printed()
    {
        var (code, output, error) = Run(["provisioned-in-firmware"], "--user", "gw1", "--scope", "city/d1/c1/gateway/gw1", "--secret-stdin");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.DoesNotContain("provisioned-in-firmware", output, StringComparison.Ordinal);
        Assert.True(CredentialFile.Parse([output.Trim()]).Credentials["gw1"].Secret.Verify("provisioned-in-firmware"u8));
    }

    [Fact]
    public void A_service_entry_takes_a_topic_filter()
    {
        var (code, output, _) = Run([], "--user", "simulator", "--role", "service", "--scope", "city/#");

        Assert.Equal(0, code);
        Assert.Equal(CredentialRole.Service, CredentialFile.Parse([output.Trim()]).Credentials["simulator"].Role);
    }

    [Theory]
    [InlineData("--user", "w-1", "--scope", "city/d1/c1/water/w-2")]
    [InlineData("--user", "w-1")]
    [InlineData("--user", "w-1", "--scope", "city/d1/c1/water/w-1", "--iterations", "10")]
    [InlineData("--user", "w-1", "--scope", "city/d1/c1/water/w-1", "--role", "admin")]
    [InlineData("--user", "w-1", "--scope", "city/d1/c1/water/w-1", "--secret", "on-the-command-line")]
    public void A_bad_invocation_exits_2_with_the_usage_and_writes_no_line(params string[] args)
    {
        var (code, output, error) = Run([], args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("usage: hash-secret", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(string[] input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = HashSecretCommand.Run(args, new StringReader(string.Join('\n', input)), output, error);
        return (code, output.ToString(), error.ToString());
    }
}
