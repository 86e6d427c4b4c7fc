namespace CitySense.Grains.Domain;

/// <summary>One source's last counted total; for a device also its register baseline, newest event time and first sight.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerEntry(
    [property: Id(0)] decimal Total,
    [property: Id(1)] decimal? Register,
    [property: Id(2)] long NewestMs,
    [property: Id(3)] long FirstSeenMs);
