namespace CitySense.Silo.Configuration;

/// <summary>Cluster settings. Bound from configuration section "Orleans". Localhost clustering is the embedded default.</summary>
public sealed class OrleansOptions
{
    public const string Section = "Orleans";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "citysense";

    public string ServiceId { get; set; } = "citysense";
}
