namespace CitySense.Ingest.Limits;

public enum RateLimitVerdict
{
    Admitted,
    /// <summary>The topic (one device or one gateway) is over <c>Ingest:DeviceRateLimit</c>.</summary>
    DeviceLimited,
    /// <summary>The connection is over <c>Ingest:ConnectionRateLimit</c>.</summary>
    ConnectionLimited,
}
