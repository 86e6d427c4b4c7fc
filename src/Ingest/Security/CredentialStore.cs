using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CitySense.Ingest.Settings;

namespace CitySense.Ingest.Security;

/// <summary>
/// The embedded broker's device credentials, read from <c>Mqtt:CredentialsFile</c>. The file is read again when its
/// write time changes, so adding or revoking a device needs no restart; a file that no longer parses is ignored (the
/// previous credentials stay) and logged. Without a configured file, authentication is off.
/// </summary>
public sealed partial class CredentialStore
{
    private readonly string? _path;
    private readonly ILogger<CredentialStore> _logger;
    private readonly Lock _reloadLock = new();
    // Bounds the CPU that a flood of CONNECTs can spend on PBKDF2: ingest keeps the other cores.
    private readonly SemaphoreSlim _hashing = new(Math.Max(1, Environment.ProcessorCount / 2));
    // A verified secret is remembered as an HMAC under a key that lives only in this process, so a device's reconnects
    // cost microseconds instead of a PBKDF2; the cache is dropped whenever the file is read again.
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private volatile Snapshot _current = new(new Dictionary<string, DeviceCredential>(), DateTime.MinValue, new());

    public CredentialStore(IOptions<MqttOptions> options, ILogger<CredentialStore> logger)
    {
        _logger = logger;
        _path = string.IsNullOrWhiteSpace(options.Value.CredentialsFile) ? null : System.IO.Path.GetFullPath(options.Value.CredentialsFile);
        if (_path is not null)
        {
            var (credentials, errors) = CredentialFile.Load(_path);
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"Mqtt:CredentialsFile {_path} is invalid: {string.Join("; ", errors)}");
            }

            _current = new Snapshot(credentials, WriteTime(_path), new());
        }
    }

    /// <summary>True when a credentials file is configured: every client must then authenticate.</summary>
    public bool Enabled => _path is not null;

    public int Count => _current.Credentials.Count;

    public string? Path => _path;

    /// <summary>The credential of a connected user, as of the file's current content (a revoked user finds none).</summary>
    public DeviceCredential? Find(string? user)
    {
        if (user is null)
        {
            return null;
        }

        ReloadIfChanged();
        return _current.Credentials.GetValueOrDefault(user);
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(string? user, ReadOnlyMemory<byte> password, string? clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(user) || password.IsEmpty)
        {
            return AuthenticationResult.Fail(SecurityReason.MissingCredentials);
        }

        ReloadIfChanged();
        var snapshot = _current;
        // Device ids are not secrets (they are in every topic), so an unknown one is refused at once, with no hash work.
        if (!snapshot.Credentials.TryGetValue(user, out var credential))
        {
            return AuthenticationResult.Fail(SecurityReason.UnknownUser);
        }

        if (!OwnsClientId(user, clientId))
        {
            return AuthenticationResult.Fail(SecurityReason.ClientIdNotOwned);
        }

        var tag = HMACSHA256.HashData(_cacheKey, password.Span);
        if (snapshot.Verified.TryGetValue(user, out var known))
        {
            return CryptographicOperations.FixedTimeEquals(known, tag) ? AuthenticationResult.Success(credential) : AuthenticationResult.Fail(SecurityReason.BadSecret);
        }

        await _hashing.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool verified;
        try
        {
            verified = credential.Secret.Verify(password.Span);
        }
        finally
        {
            _hashing.Release();
        }

        if (!verified)
        {
            return AuthenticationResult.Fail(SecurityReason.BadSecret);
        }

        snapshot.Verified[user] = tag;
        return AuthenticationResult.Success(credential);
    }

    /// <summary>
    /// The client id names the MQTT session: a device that could pick another device's id would take over its session
    /// (the broker disconnects the older connection). So the id must be the user name, or the user name and ':' and
    /// anything (':' is never part of an id).
    /// </summary>
    public static bool OwnsClientId(string user, string? clientId) =>
        clientId is not null && clientId.StartsWith(user, StringComparison.Ordinal) && (clientId.Length == user.Length || clientId[user.Length] == ':');

    private void ReloadIfChanged()
    {
        if (_path is null)
        {
            return;
        }

        var written = WriteTime(_path);
        if (written == _current.WrittenAt)
        {
            return;
        }

        lock (_reloadLock)
        {
            if (written == _current.WrittenAt)
            {
                return;
            }

            var (credentials, errors) = CredentialFile.Load(_path);
            if (errors.Count > 0)
            {
                // Keep serving the previous credentials: a half-written or broken file must not lock every device out.
                _current = _current with { WrittenAt = written };
                LogReloadFailed(_path, string.Join("; ", errors));
                return;
            }

            _current = new Snapshot(credentials, written, new());
            LogReloaded(_path, credentials.Count);
        }
    }

    private static DateTime WriteTime(string path)
    {
        try
        {
            return File.GetLastWriteTimeUtc(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DateTime.MinValue;
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, DeviceCredential> Credentials, DateTime WrittenAt, ConcurrentDictionary<string, byte[]> Verified);

    [LoggerMessage(EventId = 421, Level = LogLevel.Information, Message = "Credentials file {Path} read again: {Count} credentials")]
    private partial void LogReloaded(string path, int count);

    [LoggerMessage(EventId = 422, Level = LogLevel.Error, Message = "Credentials file {Path} changed but is invalid; the previous credentials stay in force: {Errors}")]
    private partial void LogReloadFailed(string path, string errors);
}
