namespace CitySense.Grains.Placement;

/// <summary>
/// Places a grain of the ingest path on the silo that owns it (<see cref="OwnerRing"/> over the compatible silos, by
/// <see cref="OwnerKeys"/>): device shards by number (<see cref="ShardOwnerPlacement"/>), communities and districts by
/// district (<see cref="AreaOwnerPlacement"/>). Every router computes the same owners (<see cref="IngestOwners"/>) and
/// sends each silo the part of a batch its grains take in one call, so a batch's calls to shards and areas stay inside
/// the silo that owns them (issue 16, target 4). Two strategy types rather than one with a property: Orleans makes a
/// grain type's strategy from its type name alone.
/// </summary>
public abstract class OwnerPlacement : PlacementStrategy;

[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class ShardOwnerPlacement : OwnerPlacement
{
    public static ShardOwnerPlacement Instance { get; } = new();
}

[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class AreaOwnerPlacement : OwnerPlacement
{
    public static AreaOwnerPlacement Instance { get; } = new();
}
