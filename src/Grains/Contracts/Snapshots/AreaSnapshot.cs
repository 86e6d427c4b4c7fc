namespace CitySense.Contracts.Snapshots;

/// <summary>Current indicators of a community, a district or the city.</summary>
[GenerateSerializer, Immutable]
public sealed record AreaSnapshot(
    [property: Id(0)] string Level,
    [property: Id(1)] string Key,
    [property: Id(2)] long WindowMs,
    [property: Id(3)] KindSnapshot[] Kinds,
    [property: Id(4)] string[] Children);
