namespace CitySense.Contracts.Operations;

/// <param name="Authentication">off (anyone may connect), credentials-file, or external-broker (the broker's own).</param>
/// <param name="Refused">Per reason, every reason listed (0 included).</param>
public sealed record SecurityReport(
    string Mode,
    string Authentication,
    int? Credentials,
    string? BindAddress,
    int? PlainPort,
    int? TlsPort,
    RateLimitReport DeviceRateLimit,
    RateLimitReport ConnectionRateLimit,
    long RefusedTotal,
    IReadOnlyDictionary<string, long> Refused,
    IReadOnlyList<SecurityEvent> Recent);
