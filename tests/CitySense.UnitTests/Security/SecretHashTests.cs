using System.Text;
using CitySense.Ingest.Security;

namespace CitySense.UnitTests.Security;

public sealed class SecretHashTests
{
    [Fact]
    public void The_right_secret_verifies_and_any_other_does_not()
    {
        var hash = SecretHash.Create("correct horse", SecretHash.MinIterations);

        Assert.True(hash.Verify("correct horse"u8));
        Assert.False(hash.Verify("correct hors"u8));
        Assert.False(hash.Verify("correct horse "u8));
        Assert.False(hash.Verify([]));
    }

    [Fact]
    public void The_same_secret_hashed_twice_gets_two_salts_and_two_hashes()
    {
        var first = SecretHash.Create("s3cret", SecretHash.MinIterations).ToString();
        var second = SecretHash.Create("s3cret", SecretHash.MinIterations).ToString();

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Split('$')[2], second.Split('$')[2]);
    }

    [Fact]
    public void A_hash_written_out_and_read_back_still_verifies_and_never_contains_the_secret()
    {
        var text = SecretHash.Create("device-secret-42", 2000).ToString();

        Assert.True(SecretHash.TryParse(text, out var parsed));
        Assert.Equal(2000, parsed!.Iterations);
        Assert.True(parsed.Verify(Encoding.UTF8.GetBytes("device-secret-42")));
        Assert.DoesNotContain("device-secret-42", text, StringComparison.Ordinal);
        Assert.StartsWith("pbkdf2-sha256$2000$", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain-text-secret")]
    [InlineData("sha256$10000$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$999$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$2147483647$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$10000$not base64$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$10000$c2FsdHNhbHQ=$AAAA")]
    [InlineData("pbkdf2-sha256$10000$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$-5$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void A_value_that_is_not_a_sound_pbkdf2_hash_is_refused(string? text)
    {
        Assert.False(SecretHash.TryParse(text, out var parsed));
        Assert.Null(parsed);
    }
}
