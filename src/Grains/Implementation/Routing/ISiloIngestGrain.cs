using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;

namespace CitySense.Grains.Routing;

/// <summary>
/// One per silo, on that silo (<see cref="Placement.SiloPlacement"/>; key: <c>SiloAddress.ToParsableString</c>): takes
/// the part of another silo's batch whose grains this silo owns and hands it to them here, so a batch crosses silos
/// once per owning silo and phase instead of once per grain it touches (issue 16, target 4).
/// </summary>
public interface ISiloIngestGrain : IGrainWithStringKey
{
    /// <summary>Applies each shard's readings to that shard; returns each shard's updates, in the order given.</summary>
    Task<Immutable<DeviceUpdate[][][]>> ApplyShards(Immutable<ShardPart[]> parts);

    /// <summary>
    /// Applies each community's batch to that community, then the districts to their districts (the communities'
    /// batches as parts, with their totals); returns each community's consumption totals, in the order given.
    /// </summary>
    Task<Immutable<SourceTotal[][]>> ApplyAreas(Immutable<AreaPart> part);
}
