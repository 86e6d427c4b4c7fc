namespace CitySense.Silo.Configuration;

/// <summary>Where a cluster places a grain's new activation (Orleans:Placement).</summary>
public enum GrainPlacement
{
    /// <summary>
    /// Orleans' default: the silo with the most spare CPU and memory, the calling silo when it is within 5 points of it.
    /// A silo that has just joined, or one less busy for a moment, takes whole bursts of new activations.
    /// </summary>
    ResourceOptimized,

    /// <summary>Any active silo, with equal chance: activations spread evenly whatever each silo's load.</summary>
    Random,
}
