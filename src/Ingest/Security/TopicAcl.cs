namespace CitySense.Ingest.Security;

/// <summary>What an authenticated client may publish and subscribe to.</summary>
public static class TopicAcl
{
    /// <summary>A device or gateway publishes to its own topic only; a service anywhere its scope filter matches.</summary>
    public static bool MayPublish(DeviceCredential credential, string topic) => credential.Role switch
    {
        CredentialRole.Device => string.Equals(topic, credential.Scope, StringComparison.Ordinal),
        CredentialRole.Service => TopicFilters.Matches(credential.Scope, topic),
        _ => false,
    };

    /// <summary>
    /// Devices have nothing to read in contract v1: a device may subscribe to its own topic (it learns nothing) and to
    /// nothing else, so no device reads another's telemetry (no <c>city/#</c>, no <c>#</c>, no <c>$SYS/#</c>). A service
    /// may subscribe to any filter inside its scope.
    /// </summary>
    public static bool MaySubscribe(DeviceCredential credential, string filter) => credential.Role switch
    {
        CredentialRole.Device => string.Equals(filter, credential.Scope, StringComparison.Ordinal),
        CredentialRole.Service => TopicFilters.IsValidFilter(filter) && TopicFilters.Covers(credential.Scope, filter),
        _ => false,
    };
}
