namespace CitySense.Silo.Configuration;

/// <summary>The Orleans dashboard at /dashboard. Bound from configuration section "Dashboard".</summary>
public sealed class DashboardSettings
{
    public const string Section = "Dashboard";

    /// <summary>Serve the dashboard (operators only). Off: no dashboard and none of its sampling.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often the dashboard samples Orleans' counters. Each sample reads every observable gauge, and some of Orleans'
    /// walk every activation or directory cache entry: at a million device grains, sampling every second (the
    /// dashboard's own default) took 22 % of the silo's CPU samples (docs/performance.md).
    /// </summary>
    public TimeSpan CounterInterval { get; set; } = TimeSpan.FromSeconds(10);
}
