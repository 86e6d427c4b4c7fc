namespace CitySense.Contracts.Areas;

/// <summary>A device a community counts in its roster, and whether it is online now (docs/indicators.md, offline detection).</summary>
[GenerateSerializer, Immutable]
public sealed record CommunityDevice([property: Id(0)] string Device, [property: Id(1)] string Kind, [property: Id(2)] bool Online);
