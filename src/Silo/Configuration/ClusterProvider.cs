namespace CitySense.Silo.Configuration;

public enum ClusterProvider
{
    /// <summary>One silo on localhost; registry in files under the data folder.</summary>
    Localhost,

    /// <summary>Silos form a cluster through Redis membership; the registry lives in Redis grain storage.</summary>
    Redis,
}
