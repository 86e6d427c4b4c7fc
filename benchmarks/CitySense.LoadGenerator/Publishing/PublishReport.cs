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
