namespace CitySense.Ingest.Settings;

/// <summary>A token bucket: <see cref="MessagesPerSecond"/> sustained, <see cref="Burst"/> at once. 0 messages per second: no limit.</summary>
public sealed class RateLimitOptions
{
    public double MessagesPerSecond { get; set; }

    public int Burst { get; set; }

    public bool Enabled => MessagesPerSecond > 0 && Burst > 0;
}
