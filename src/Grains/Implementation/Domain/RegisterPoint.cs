namespace CitySense.Grains.Domain;

/// <summary>
/// One register reading kept for out-of-order arrivals. <see cref="Baseline"/> is the value the next step is measured
/// from (it differs from <see cref="Raw"/> after jitter); <see cref="Delta"/> is the consumption attributed to this reading.
/// </summary>
public readonly record struct RegisterPoint(long TimestampMs, decimal Raw, decimal Baseline, decimal Delta, bool NewBaseline);
