namespace CitySense.Ingest.Security;

/// <summary>Why the MQTT edge refused a client or one of its packets. Names are stable: they appear in the API and logs.</summary>
public enum SecurityReason
{
    /// <summary>Credentials are required and the client sent no user name or no password.</summary>
    MissingCredentials,
    /// <summary>The user name is not in the credentials file.</summary>
    UnknownUser,
    /// <summary>The password does not match the user's secret.</summary>
    BadSecret,
    /// <summary>The client id is not the user name (nor <c>{user}:{suffix}</c>): it could take over another device's session.</summary>
    ClientIdNotOwned,
    /// <summary>A publish outside the user's scope.</summary>
    PublishDenied,
    /// <summary>A subscription outside the user's scope.</summary>
    SubscribeDenied,
    /// <summary>A device (topic) published faster than <c>Ingest:DeviceRateLimit</c>.</summary>
    DeviceRateLimited,
    /// <summary>A connection published faster than <c>Ingest:ConnectionRateLimit</c>.</summary>
    ConnectionRateLimited,
}

public static class SecurityReasons
{
    public const int Count = (int)SecurityReason.ConnectionRateLimited + 1;

    public static string Name(SecurityReason reason) => reason switch
    {
        SecurityReason.MissingCredentials => "missing-credentials",
        SecurityReason.UnknownUser => "unknown-user",
        SecurityReason.BadSecret => "bad-secret",
        SecurityReason.ClientIdNotOwned => "client-id-not-owned",
        SecurityReason.PublishDenied => "publish-denied",
        SecurityReason.SubscribeDenied => "subscribe-denied",
        SecurityReason.DeviceRateLimited => "device-rate-limited",
        SecurityReason.ConnectionRateLimited => "connection-rate-limited",
        _ => "unknown",
    };
}
