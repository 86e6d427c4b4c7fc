using CitySense.Contracts.Telemetry;

namespace CitySense.Api.Ngsi;

/// <summary>
/// UN/CEFACT common codes (NGSI-LD's unitCode) of telemetry contract v1's canonical metrics (docs/telemetry.md, section 4).
/// </summary>
public static class NgsiUnits
{
    public const string CubicMetre = "MTQ";
    public const string KilowattHour = "KWH";
    public const string CubicMetrePerHour = "MQH";
    public const string Megapascal = "MPA";
    public const string Kilopascal = "KPA";
    public const string Kilowatt = "KWT";
    public const string DegreeCelsius = "CEL";
    public const string Percent = "P1";

    /// <summary>The register's unit: kWh for heat, m³ for water and gas; null for community devices.</summary>
    public static string? Register(string kind) => kind switch
    {
        Kinds.Heat => KilowattHour,
        Kinds.Water or Kinds.Gas => CubicMetre,
        _ => null,
    };

    /// <summary>The unit of a metric of a kind, or null when the contract gives it none (community devices' own metrics).</summary>
    public static string? Of(string kind, string metric) => (kind, metric) switch
    {
        (Kinds.Water or Kinds.Gas, "total") => CubicMetre,
        (Kinds.Heat, "energy") => KilowattHour,
        (_, Kinds.FlowMetric) => CubicMetrePerHour,
        (Kinds.Water, "pressure") => Megapascal,
        (Kinds.Gas, "pressure") => Kilopascal,
        (Kinds.Heat, "power") => Kilowatt,
        (Kinds.Heat, "supplyTemp" or "returnTemp" or "deltaT") => DegreeCelsius,
        (_, "temperature") => DegreeCelsius,
        (_, "battery" or "lel" or "humidity") => Percent,
        _ => null,
    };
}
