using CitySense.LoadGenerator.Measurement;

namespace CitySense.LoadGenerator.Subscribing;

/// <summary>
/// What a receiver (the count-only subscriber, or CitySense seen through /health) processed. ReadingsPerSecond is the
/// sustained rate: readings between the first and the last observed arrival (or increase), over that time.
/// LastArrivalUnixMs lets compare.sh take the end-to-end rate instead: everything received, from the publisher's start
/// until the last reading was processed, so a receiver that stalls and catches up later is not flattered.
/// </summary>
public sealed record ReceiveReport(
    string Receiver,
    long Messages,
    long Readings,
    double ActiveSeconds,
    double ReadingsPerSecond,
    double MessagesPerSecond,
    double PeakReadingsPerSecondInOneSecond,
    double FirstArrivalUnixMs,
    double LastArrivalUnixMs,
    UsageReport? Process);
