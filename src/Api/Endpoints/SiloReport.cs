namespace CitySense.Api.Endpoints;

/// <summary>One silo in GET /api/cluster: its address and membership status (Active, ShuttingDown, Dead, ...).</summary>
public sealed record SiloReport(string Address, string Status)
{
    /// <summary>Grain activations the silo hosts (null when it does not answer): how the grains are spread.</summary>
    public int? Activations { get; init; }
}
