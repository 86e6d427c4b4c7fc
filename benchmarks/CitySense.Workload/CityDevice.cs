namespace CitySense.Workload;

/// <summary>One simulated device: where it lives, its topic, and the register and counter it carries forward.</summary>
public sealed class CityDevice(string district, string community, string kind, string id)
{
    public string District { get; } = district;

    public string Community { get; } = community;

    public string Kind { get; } = kind;

    public string Id { get; } = id;

    /// <summary>The single-reading topic of telemetry contract v1.</summary>
    public string Topic { get; } = $"city/{district}/{community}/{kind}/{id}";

    /// <summary>Cumulative register (m³ or kWh) for metered kinds; it only moves forward.</summary>
    public double Register { get; set; }

    public ulong Seq { get; set; }

    /// <summary>
    /// Timestamp of the device's previous reading: its register advances by its flow over the time since then, so the
    /// rate CitySense sees is the flow whatever the offered load. 0 before the first (that one advances a 5 s step).
    /// </summary>
    public long LastTimestampMs { get; set; }
}
