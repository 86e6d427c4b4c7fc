using System.Globalization;
using Orleans.Metadata;
using Orleans.Placement;

namespace CitySense.Silo.Hosting;

/// <summary>
/// Marks every grain type immovable on the embedded single-silo host, as <c>[Immovable]</c> would.
/// </summary>
/// <remarks>
/// Orleans 10.4 migrates an activation that still has requests queued when its silo shuts down (a timer tick counts)
/// to another silo, unless its grain type is immovable. The embedded host is the only silo of its cluster, and by the
/// time grains deactivate it has left it, so placement finds no silo and Orleans logs "Error while selecting a migration
/// destination" at a stop that catches an area grain busy. Not for a Redis cluster: there, a stopping silo's busy grains
/// move to the silos that stay and take their queued requests along, which a rolling restart wants; the price is that
/// the last member of a cluster to stop can still log that error, as no silo knows it is the last.
/// </remarks>
internal sealed class ImmovableOnSingleSilo : IGrainPropertiesProvider
{
    private static readonly string Any = ((byte)ImmovableKind.Any).ToString(CultureInfo.InvariantCulture);

    public void Populate(Type grainClass, GrainType grainType, Dictionary<string, string> properties) =>
        properties[WellKnownGrainTypeProperties.Immovable] = Any;
}
