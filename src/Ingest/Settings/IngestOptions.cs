using CitySense.Ingest.Limits;

namespace CitySense.Ingest.Settings;

/// <summary>Limits of the ingest edge. Bound from configuration section "Ingest".</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Payloads above this size are rejected before parsing.</summary>
    public int MaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>A gateway message with more readings than this is rejected as a whole.</summary>
    public int MaxReadingsPerMessage { get; set; } = 1000;

    /// <summary>Numeric metrics per reading.</summary>
    public int MaxMetricsPerReading { get; set; } = 32;

    /// <summary>Readings whose event time is further ahead of the silo clock than this are rejected (clock skew allowance).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An open batch is handed to the worker once it holds this many readings; producers wait when the worker is this far behind.</summary>
    public int MaxBatchReadings { get; set; } = 8192;

    /// <summary>
    /// How long the worker, when idle, lets the open batch gather readings after its first one before taking it. Every
    /// batch costs one call per community, district and the city whatever its size, so at moderate rates a delay makes
    /// batches several times larger and saves some CPU (at 30 000 readings/s, 5 ms: 271 instead of 28 readings per batch,
    /// 8 % less CPU per reading). A busy worker is not delayed, and a full batch is taken at once. Off by default on the
    /// embedded broker: the delay is added to every publish → PUBACK there (Task.Delay waits whole milliseconds, so 5 ms
    /// became a 10 ms median), which caps a QoS 1 publisher with one message in flight at about 100 messages/s.
    /// <see cref="ExternalDefault"/> with an external broker, which acknowledges publishers itself: there the delay only
    /// holds the silo's own acknowledgements to the broker, with up to Mqtt:ReceiveMaximum messages in flight.
    /// </summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The batch delay in External mode unless Ingest:BatchDelay is set: at 10 000 single-reading messages/s in a city's
    /// shape it took a warm silo from 2.1 to 1.4 times a bare subscriber's CPU per reading (benchmarks/cpu-ratio.sh,
    /// RESULTS.md §19), within the 100 ms publish → state budget.
    /// </summary>
    public static readonly TimeSpan ExternalDefault = TimeSpan.FromMilliseconds(20);

    /// <summary>Sealed batches waiting for the worker. With <see cref="MaxBatchReadings"/> this bounds ingest memory.</summary>
    public int MaxQueuedBatches { get; set; } = 4;

    /// <summary>Recent rejections kept for operators (GET /api/rejections).</summary>
    public int RecentRejectionsKept { get; set; } = 200;

    /// <summary>
    /// Messages per topic (one device or one gateway). Meters report about once a minute; the burst lets a device that
    /// was offline send what it buffered. The excess is refused as rate-limited.
    /// </summary>
    public RateLimitOptions DeviceRateLimit { get; set; } = new() { MessagesPerSecond = 20, Burst = 200 };

    /// <summary>Messages per MQTT connection (embedded broker): bounds a client that publishes for many topics.</summary>
    public RateLimitOptions ConnectionRateLimit { get; set; } = new() { MessagesPerSecond = 2000, Burst = 20000 };
}
