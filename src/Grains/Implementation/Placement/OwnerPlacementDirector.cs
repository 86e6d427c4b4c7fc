using Orleans.Runtime.Placement;

namespace CitySense.Grains.Placement;

/// <summary>Where <see cref="ShardOwnerPlacement"/>, <see cref="AreaOwnerPlacement"/> and <see cref="SiloPlacement"/> put a new activation.</summary>
public sealed class OwnerPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (strategy is SiloPlacement)
        {
            var named = target.GrainIdentity.Key.ToString();
            foreach (var silo in silos)
            {
                if (silo.ToParsableString() == named)
                {
                    return Task.FromResult(silo);
                }
            }

            return Task.FromResult(context.LocalSilo);
        }

        if (silos.Length == 0)
        {
            return Task.FromResult(context.LocalSilo);
        }

        var key = OwnerKeys.Of(target.GrainIdentity, strategy is ShardOwnerPlacement);
        var names = Array.ConvertAll(silos, s => s.ToParsableString());
        return Task.FromResult(silos[OwnerRing.OwnerOf(key, names)]);
    }
}
