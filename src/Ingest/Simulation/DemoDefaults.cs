namespace CitySense.Ingest.Simulation;

/// <summary>
/// Settings the demo changes unless they are configured: the rules that need hours of a real city (a leak's six hours
/// of continuous flow, fifteen minutes of silence before a device is offline) answer within the demo's first minutes.
/// The host adds them below every other configuration source when Demo:Enabled is set.
/// </summary>
public static class DemoDefaults
{
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Alarms:ContinuousFlow"] = "00:01:00",
        ["Liveness:MinimumSilence"] = "00:00:30",
        ["Liveness:CheckInterval"] = "00:00:05",
    };
}
