namespace CitySense.Grains.State;

/// <summary>A stored roster entry: one device of a community and whether it is online.</summary>
[GenerateSerializer, Immutable]
public sealed record RosterEntryState(
    [property: Id(0)] string Device,
    [property: Id(1)] string Kind,
    [property: Id(2)] long? LastSeenMs,
    [property: Id(3)] long FirstEventMs,
    [property: Id(4)] long LastEventMs,
    [property: Id(5)] long InOrderReadings,
    [property: Id(6)] TimeSpan? ExpectedInterval,
    [property: Id(7)] bool Online,
    [property: Id(8)] long OfflineSinceMs);
