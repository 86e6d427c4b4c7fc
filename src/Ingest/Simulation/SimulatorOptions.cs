namespace CitySense.Ingest.Simulation;

/// <summary>The built-in city simulator (the --demo switch). Bound from configuration section "Demo".</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Demo";

    public bool Enabled { get; set; }

    public int Districts { get; set; } = 2;

    public int CommunitiesPerDistrict { get; set; } = 3;

    /// <summary>Water meters per community; heat and gas meters are half as many; every community also has env, smoke, gasleak and manhole sensors.</summary>
    public int WaterMetersPerCommunity { get; set; } = 40;

    /// <summary>How often every device reports.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Broker to publish to; defaults to the embedded broker.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int? Port { get; set; }

    public int Seed { get; set; } = 42;

    /// <summary>
    /// When the embedded broker requires credentials: a service entry of the credentials file whose scope covers the
    /// simulated city (for example city/#). The user name is also the client id.
    /// </summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Scheduled incidents that trip the alarm rules (docs/screen.md, README "Demo"); false = a quiet city.</summary>
    public bool Incidents { get; set; } = true;

    /// <summary>The first incident starts this long after the demo: every water meter then has its burst baseline.</summary>
    public TimeSpan FirstIncidentAfter { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>A new incident starts this often.</summary>
    public TimeSpan IncidentEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an incident lasts (a leak and an offline community at least long enough to raise their alarm).</summary>
    public TimeSpan IncidentLasts { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The demo operator acknowledges an alarm nobody acknowledged this long after its raise (a critical one only once
    /// its rule cleared it, this long after: those are left for the person watching), recorded as "demo operator".
    /// Zero = no demo operator.
    /// </summary>
    public TimeSpan AcknowledgeAfter { get; set; } = TimeSpan.FromSeconds(30);
}
