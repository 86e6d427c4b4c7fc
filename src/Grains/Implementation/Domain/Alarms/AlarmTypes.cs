namespace CitySense.Grains.Domain.Alarms;

/// <summary>Alarm type names (stable: they appear in the API and InfluxDB).</summary>
public static class AlarmTypes
{
    public const string Leak = "leak";
    public const string Burst = "burst";
    public const string PressureLow = "pressure-low";
    public const string PressureHigh = "pressure-high";
    public const string LowDeltaT = "low-delta-t";
    public const string HighReturnTemp = "high-return-temp";
    public const string GasLeak = "gas-leak";
    public const string Smoke = "smoke";
    public const string ManholeOpen = "manhole-open";
    public const string Offline = "offline";

    public static string Id(string device, string type, long startMs) => $"{device}/{type}/{startMs}";
}
