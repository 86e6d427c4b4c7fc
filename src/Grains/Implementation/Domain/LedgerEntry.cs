namespace CitySense.Grains.Domain;

/// <summary>
/// One source's last counted total; for a device also its register baseline, newest event time and first sight. A value
/// kept in the ledger's dictionary and updated in place: a community holds one per device and changes it every reading.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct LedgerEntry(
    [property: Id(0)] decimal Total,
    [property: Id(1)] decimal? Register,
    [property: Id(2)] long NewestMs,
    [property: Id(3)] long FirstSeenMs);
