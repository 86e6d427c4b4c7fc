using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Indicators;

/// <summary>Rejected readings of one kind, counted in the window of their arrival (a rejected reading may have no valid event time).</summary>
[GenerateSerializer, Immutable]
public readonly record struct RejectionCount(
    [property: Id(0)] string Kind,
    [property: Id(1)] RejectionReason Reason,
    [property: Id(2)] long WindowStartMs,
    [property: Id(3)] int Count);
