namespace CitySense.LoadGenerator.Publishing;

/// <summary>Publish latency percentiles of one run.</summary>
/// <param name="P50Us">Microseconds; each percentile is the upper edge of a ~3 % wide bucket.</param>
public sealed record LatencyReport(long Count, double P50Us, double P90Us, double P99Us, double P999Us, double MaxUs);
