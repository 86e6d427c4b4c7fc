namespace CitySense.Api.Endpoints;

/// <summary>One silo in GET /api/cluster: its address and membership status (Active, ShuttingDown, Dead, ...).</summary>
public sealed record SiloReport(string Address, string Status);
