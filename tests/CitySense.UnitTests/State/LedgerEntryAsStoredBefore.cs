namespace CitySense.UnitTests.State;

/// <summary>LedgerEntry as it was stored up to 2026-12-07: a positional record with nullable members.</summary>
[GenerateSerializer, Immutable]
public readonly record struct LedgerEntryAsStoredBefore(
    [property: Id(0)] decimal Total,
    [property: Id(1)] decimal? Register,
    [property: Id(2)] long NewestMs,
    [property: Id(3)] long FirstSeenMs,
    [property: Id(4)] double? Flow = null,
    [property: Id(5)] long FlowVersion = 0);
