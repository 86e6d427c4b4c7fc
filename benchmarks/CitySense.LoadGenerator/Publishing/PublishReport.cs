using CitySense.LoadGenerator.Measurement;

namespace CitySense.LoadGenerator.Publishing;

/// <summary>What a publish run sent, how fast, how long publishes took, and what the generator cost.</summary>
public sealed record PublishReport(
    string Mode,
    int Qos,
    int Publishers,
    int InFlight,
    int ReadingsPerMessage,
    double TargetRate,
    double StartedAtUnixMs,
    double Seconds,
    long Messages,
    long Readings,
    long Failures,
    double MessagesPerSecond,
    double ReadingsPerSecond,
    string LatencyMeaning,
    LatencyReport Latency,
    UsageReport Generator);

/// <param name="P50Us">Microseconds; each percentile is the upper edge of a ~3 % wide bucket.</param>
public sealed record LatencyReport(long Count, double P50Us, double P90Us, double P99Us, double P999Us, double MaxUs);
