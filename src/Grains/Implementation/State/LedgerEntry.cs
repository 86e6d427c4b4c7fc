namespace CitySense.Grains.State;

/// <summary>
/// What an area last counted of one source: its consumption total and, with it, its flow (a device: its latest flow; a
/// community: its sum of latest flows). For a device also the register baseline, newest event time and first sight that
/// go with that total, so a restored device grain carries on from a consistent point. A value kept in the ledger's
/// dictionary and updated in place: a community holds one per device and changes it every reading.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct LedgerEntry(
    [property: Id(0)] decimal Total,
    [property: Id(1)] decimal? Register,
    [property: Id(2)] long NewestMs,
    [property: Id(3)] long FirstSeenMs,
    [property: Id(4)] double? Flow = null,
    [property: Id(5)] long FlowVersion = 0);
