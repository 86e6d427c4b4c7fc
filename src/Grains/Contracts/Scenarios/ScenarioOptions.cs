using CitySense.Contracts.Scenarios.Settings;

namespace CitySense.Contracts.Scenarios;

/// <summary>
/// Section "Scenarios": one sub-section per scenario, named like its property (Scenarios:WaterPressure:AlarmBelow).
/// docs/scenarios.md has every rule and default. Units are the telemetry contract's.
/// </summary>
public sealed class ScenarioOptions
{
    public const string Section = "Scenarios";

    /// <summary>
    /// False turns the scenarios off: the live path then publishes nothing on the city streams (only the scenario host
    /// reads them), so the host never activates and GET /api/scenarios lists no tile. For measuring their cost, or a
    /// node that only ingests.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Rows a report holds at most (worst first); the tile's headline always counts them all.</summary>
    public int MaxRows { get; set; } = 100;

    public NightFlowSettings NightFlow { get; set; } = new();

    public AlarmWatchSettings Leaks { get; set; } = new() { Type = "leak", WarningAt = 1, AlarmAt = 5 };

    public AlarmWatchSettings Bursts { get; set; } = new() { Type = "burst", WarningAt = 1, AlarmAt = 1 };

    public BandSettings WaterPressure { get; set; } = new()
    {
        Kind = "water", Metric = "pressure", Unit = "MPa", Statistic = BandStatistic.Extremes,
        AlarmBelow = 0.1, WarningBelow = 0.15, WarningAbove = 0.6, AlarmAbove = 0.8,
    };

    public BandSettings GasPressure { get; set; } = new()
    {
        Kind = "gas", Metric = "pressure", Unit = "kPa", Statistic = BandStatistic.Extremes,
        AlarmBelow = 0.8, WarningBelow = 1.0, WarningAbove = 5.0, AlarmAbove = 6.0,
    };

    public AlarmWatchSettings GasLeaks { get; set; } = new() { Type = "gas-leak", WarningAt = 1, AlarmAt = 1 };

    public AlarmWatchSettings Smoke { get; set; } = new() { Type = "smoke", WarningAt = 1, AlarmAt = 1 };

    public AlarmWatchSettings Manholes { get; set; } = new() { Type = "manhole-open", WarningAt = 1, AlarmAt = 3 };

    public BandSettings DeltaT { get; set; } = new()
    {
        Kind = "heat", Metric = "deltaT", Unit = "°C", Statistic = BandStatistic.Mean, WarningBelow = 8, AlarmBelow = 5,
    };

    public BandSettings ReturnTemperature { get; set; } = new()
    {
        Kind = "heat", Metric = "returnTemp", Unit = "°C", Statistic = BandStatistic.Mean, WarningAbove = 55, AlarmAbove = 60,
    };

    public HeatCoverageSettings HeatCoverage { get; set; } = new();

    public BandSettings AirQuality { get; set; } = new()
    {
        Kind = "env", Metric = "pm25", Unit = "µg/m³", Statistic = BandStatistic.Mean, WarningAbove = 35, AlarmAbove = 75,
    };

    public BandSettings Noise { get; set; } = new()
    {
        Kind = "env", Metric = "noise", Unit = "dB(A)", Statistic = BandStatistic.Mean, WarningAbove = 65, AlarmAbove = 75,
    };

    public AlarmWatchSettings OfflineDevices { get; set; } = new() { Type = "offline", WarningAt = 1, AlarmAt = 20 };

    /// <summary>Battery (% of charge) of any kind's devices: the window's minimum.</summary>
    public BandSettings LowBatteries { get; set; } = new()
    {
        Kind = "*", Metric = "battery", Unit = "%", Statistic = BandStatistic.Extremes, WarningBelow = 20, AlarmBelow = 10,
    };

    /// <summary>Clean share (%) of a district's readings: below Warning a warning, below Alarm an alarm.</summary>
    public ShareSettings DataQuality { get; set; } = new() { Warning = 95, Alarm = 80, MinCount = 10 };

    public TopConsumersSettings TopConsumers { get; set; } = new();

    public SameHourSettings SameHour { get; set; } = new();

    /// <summary>Rejected share (%) of a community's readings: at or above Warning a warning, at or above Alarm an alarm.</summary>
    public ShareSettings Rejections { get; set; } = new() { Warning = 5, Alarm = 20, MinCount = 10 };

    /// <summary>Open alarms of one district.</summary>
    public CountSettings AlarmLoad { get; set; } = new() { WarningAt = 5, AlarmAt = 20 };

    /// <summary>Critical alarms nobody acknowledged; any escalated one is an alarm.</summary>
    public CountSettings UnacknowledgedCritical { get; set; } = new() { WarningAt = 1, AlarmAt = 3 };

    /// <summary>Answered share (%) of API requests: below Warning a warning, below Alarm an alarm.</summary>
    public ShareSettings DataSharing { get; set; } = new() { Warning = 99.5, Alarm = 95, MinCount = 20 };
}
