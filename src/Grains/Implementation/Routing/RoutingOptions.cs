namespace CitySense.Grains.Routing;

/// <summary>
/// How the router calls the grains. Bound from the Ingest section (Ingest:MaxConcurrentGrainCalls,
/// Ingest:ApplyRetryFor), where operators have always set them: they are how hard ingest pushes on the cluster.
/// </summary>
public sealed class RoutingOptions
{
    public const string Section = "Ingest";

    /// <summary>Grain calls in flight at once while a batch is applied.</summary>
    public int MaxConcurrentGrainCalls { get; set; } = 512;

    /// <summary>
    /// How long the grain calls of a batch are retried (backing off up to 2 s) before the batch fails. Long enough for the
    /// cluster to declare a dead silo dead and place its grains elsewhere, so a silo failure costs a pause, not a
    /// redelivery. A batch that still fails is not acknowledged; with an external broker the client reconnects so the
    /// broker redelivers it.
    /// </summary>
    public TimeSpan ApplyRetryFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// With several silos, send each silo the share of a batch whose device shards and districts it owns, in one call
    /// per silo and phase (docs/operations.md, "Capacity of N silos"). Off, the router calls every grain a batch touches
    /// wherever it lives, as before issue 16's target 4: kept as the baseline benchmarks/cluster-compare.sh measures
    /// against in the same run.
    /// </summary>
    public bool RouteByOwner { get; set; } = true;
}
