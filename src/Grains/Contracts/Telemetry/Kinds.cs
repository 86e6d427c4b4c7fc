namespace CitySense.Contracts.Telemetry;

/// <summary>The metered kinds of telemetry contract v1 and their canonical metrics (docs/telemetry.md).</summary>
public static class Kinds
{
    public const string Water = "water";
    public const string Heat = "heat";
    public const string Gas = "gas";
    public const string Gateway = "gateway";

    /// <summary>
    /// The cumulative register of a metered kind (m³ for water and gas, kWh for heat), or null for
    /// community devices, whose metrics are aggregated generically.
    /// </summary>
    public static string? RegisterMetric(string kind) => kind switch
    {
        Water => "total",
        Gas => "total",
        Heat => "energy",
        _ => null,
    };

    /// <summary>The metric summed over devices as "sum of the latest flows" (m³/h).</summary>
    public const string FlowMetric = "flow";
}
