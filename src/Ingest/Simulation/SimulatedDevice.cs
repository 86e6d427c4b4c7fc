namespace CitySense.Ingest.Simulation;

/// <summary>One simulated device and its evolving registers.</summary>
internal sealed class SimulatedDevice(string district, string community, string kind, string id, bool viaGateway)
{
    public string District { get; } = district;
    public string Community { get; } = community;
    public string Kind { get; } = kind;
    public string Id { get; } = id;
    public bool ViaGateway { get; } = viaGateway;
    public string Topic { get; } = $"city/{district}/{community}/{kind}/{id}";
    public double Register { get; set; }
    public ulong Seq { get; set; }
}
