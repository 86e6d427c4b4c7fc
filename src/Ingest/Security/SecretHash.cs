using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CitySense.Ingest.Security;

/// <summary>
/// A device secret stored as PBKDF2-HMAC-SHA256 with its own random salt, written
/// <c>pbkdf2-sha256${iterations}${salt base64}${hash base64}</c>. The secret itself is never stored.
/// </summary>
public sealed class SecretHash
{
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>
    /// Secrets made by <c>hash-secret</c> are 256 random bits, which no iteration count makes easier or harder to guess;
    /// iterations protect human-chosen secrets, and every first connection of a device pays them (a city reconnecting
    /// after a restart pays them once per device). Raise it per entry (<c>--iterations</c>) for human-chosen secrets.
    /// </summary>
    public const int DefaultIterations = 10_000;

    /// <summary>A hostile or mistyped file must not make one authentication cost minutes.</summary>
    public const int MaxIterations = 5_000_000;

    public const int MinIterations = 1_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    private SecretHash(int iterations, byte[] salt, byte[] hash)
    {
        Iterations = iterations;
        _salt = salt;
        _hash = hash;
    }

    public int Iterations { get; }

    public static SecretHash Create(string secret, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new SecretHash(iterations, salt, Derive(Encoding.UTF8.GetBytes(secret), salt, iterations));
    }

    public static bool TryParse(string? text, out SecretHash? hash)
    {
        hash = null;
        var parts = text?.Split('$');
        if (parts is not { Length: 4 } || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < MinIterations or > MaxIterations)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var derived = Convert.FromBase64String(parts[3]);
            if (salt.Length < 8 || derived.Length != HashBytes)
            {
                return false;
            }

            hash = new SecretHash(iterations, salt, derived);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Derives the presented secret with this entry's salt and compares in constant time.</summary>
    public bool Verify(ReadOnlySpan<byte> secret)
    {
        Span<byte> derived = stackalloc byte[HashBytes];
        Rfc2898DeriveBytes.Pbkdf2(secret, _salt, derived, Iterations, HashAlgorithmName.SHA256);
        return CryptographicOperations.FixedTimeEquals(derived, _hash);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}");

    private static byte[] Derive(byte[] secret, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
