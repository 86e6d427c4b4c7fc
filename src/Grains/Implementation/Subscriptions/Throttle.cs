namespace CitySense.Grains.Subscriptions;

/// <summary>NGSI-LD throttling: at least <c>throttling</c> seconds between two notifications of one subscription.</summary>
public static class Throttle
{
    /// <summary>The earliest time (Unix ms) the next notification may go.</summary>
    public static long NextAllowedMs(long? lastNotificationMs, double throttlingS) =>
        lastNotificationMs is { } last && throttlingS > 0 ? last + (long)Math.Ceiling(throttlingS * 1000) : long.MinValue;
}
