namespace CitySense.Ingest.Simulation;

/// <summary>What the demo's incident schedule makes happen, each tripping one of the alarm rules (docs/indicators.md).</summary>
public enum IncidentKind
{
    /// <summary>A few water meters of a community never stop flowing (rule: leak, continuous flow).</summary>
    NightLeak,

    /// <summary>One water meter's flow jumps and its pressure falls (rules: burst, pressure-low).</summary>
    Burst,

    /// <summary>A gas-leak detector reads far above the lower explosive limit's critical share (rule: gas-leak).</summary>
    GasLeak,

    /// <summary>A smoke detector trips (rule: smoke).</summary>
    Smoke,

    /// <summary>A heat meter's return temperature comes close to its supply (rule: low-delta-t).</summary>
    HeatDeltaTDrop,

    /// <summary>Every device of a community stops publishing, then returns (rule: offline).</summary>
    CommunityOffline,

    /// <summary>A community's env sensors read PM2.5 far above the air-quality scenario's alarm (no alarm rule reads PM2.5: its tile turns red).</summary>
    AirPollution,
}
