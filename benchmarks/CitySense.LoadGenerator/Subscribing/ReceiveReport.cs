using CitySense.LoadGenerator.Measurement;

namespace CitySense.LoadGenerator.Subscribing;

/// <summary>
/// What a receiver (the count-only subscriber, or CitySense seen through /health) processed. ReadingsPerSecond is the
/// sustained rate: readings between the first and the last observed arrival (or increase), over that time.
/// </summary>
public sealed record ReceiveReport(
    string Receiver,
    long Messages,
    long Readings,
    double ActiveSeconds,
    double ReadingsPerSecond,
    double MessagesPerSecond,
    double PeakReadingsPerSecondInOneSecond,
    UsageReport? Process);
