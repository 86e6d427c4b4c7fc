namespace CitySense.Api.Endpoints;

/// <summary>One silo in GET /api/cluster: its address and membership status (Active, ShuttingDown, Dead, ...).</summary>
public sealed record SiloReport(string Address, string Status)
{
    /// <summary>Grain activations the silo hosts (null when it does not answer): how the grains are spread.</summary>
    public int? Activations { get; init; }

    /// <summary>
    /// Whether the answering silo counts this one among the owners of device shards and districts: it is active and the
    /// answering silo's Orleans knows its grain types (the cluster manifest), so it can place grains there. A silo that
    /// has just joined is active a moment before it is an owner.
    /// </summary>
    public bool Owner { get; init; }
}
