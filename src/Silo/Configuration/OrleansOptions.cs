namespace CitySense.Silo.Configuration;

/// <summary>Cluster settings. Bound from configuration section "Orleans". Localhost clustering is the embedded default.</summary>
public sealed class OrleansOptions
{
    public const string Section = "Orleans";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "citysense";

    public string ServiceId { get; set; } = "citysense";

    /// <summary>Localhost (one silo, the embedded default) or Redis (membership and grain storage in Redis: a cluster).</summary>
    public ClusterProvider Provider { get; set; } = ClusterProvider.Localhost;

    /// <summary>Redis connection string (StackExchange.Redis syntax, e.g. "redis:6379,password=..."), for Provider=Redis.</summary>
    public string? Redis { get; set; }

    /// <summary>Where new activations go in a cluster: Orleans' ResourceOptimized (the default) or Random.</summary>
    public GrainPlacement Placement { get; set; } = GrainPlacement.ResourceOptimized;

    /// <summary>The address other silos reach this one at (the pod IP in Kubernetes). Default: 127.0.0.1.</summary>
    public string? AdvertisedAddress { get; set; }
}
