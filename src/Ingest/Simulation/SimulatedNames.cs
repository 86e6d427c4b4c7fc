namespace CitySense.Ingest.Simulation;

/// <summary>The simulated city's ids, shared by the simulator that publishes them and the schedule that picks incidents' devices.</summary>
public static class SimulatedNames
{
    public static string District(int d) => $"district-{d}";

    public static string Community(int d, int c) => $"c{d}{c:00}";

    public static string Water(string community, int i) => $"w-{community}-{i:000}";

    public static string Heat(string community, int i) => $"h-{community}-{i:000}";

    public static string Gas(string community, int i) => $"g-{community}-{i:000}";

    /// <summary>Community sensors (env, smoke, gasleak, manhole): two of each per community.</summary>
    public static string Sensor(string kind, string community, int i) => $"{kind}-{community}-{i}";
}
