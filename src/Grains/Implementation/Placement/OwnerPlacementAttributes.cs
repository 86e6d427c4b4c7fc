using Orleans.Placement;

namespace CitySense.Grains.Placement;

/// <summary>A device shard lives on the silo that owns its number (<see cref="OwnerPlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardOwnerPlacementAttribute() : PlacementAttribute(ShardOwnerPlacement.Instance);

/// <summary>A community or district lives on the silo that owns its district (<see cref="OwnerPlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AreaOwnerPlacementAttribute() : PlacementAttribute(AreaOwnerPlacement.Instance);

/// <summary>A silo's ingest grain lives on the silo its key names (<see cref="SiloPlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPlacementAttribute() : PlacementAttribute(SiloPlacement.Instance);
