namespace CitySense.Contracts.Alarms;

/// <summary>Alarm thresholds per kind. Section "Alarms". Units are those of the telemetry contract.</summary>
public sealed class AlarmOptions
{
    public const string Section = "Alarms";

    /// <summary>IANA time zone of the city, for the night-flow window (e.g. Asia/Shanghai).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Water leak: the night window (local time) whose minimum flow is watched.</summary>
    public TimeSpan NightStart { get; set; } = TimeSpan.FromHours(2);

    public TimeSpan NightEnd { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Water leak: minimum night flow above this (m³/h).</summary>
    public double NightFlowThreshold { get; set; } = 0.05;

    /// <summary>Water leak: flow above zero on every reading for this long.</summary>
    public TimeSpan ContinuousFlow { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Burst: flow above this many times the device's own baseline flow...</summary>
    public double BurstFactor { get; set; } = 4;

    /// <summary>...and above this flow (m³/h), so a meter idling near zero does not "burst" at a trickle.</summary>
    public double BurstMinFlow { get; set; } = 2;

    /// <summary>Readings of normal flow before the baseline is trusted.</summary>
    public int BurstBaselineReadings { get; set; } = 5;

    public double WaterPressureMin { get; set; } = 0.15;

    public double WaterPressureMax { get; set; } = 0.6;

    public double GasPressureMin { get; set; } = 1.0;

    public double GasPressureMax { get; set; } = 5.0;

    /// <summary>Heat: supply − return below this (°C) while water flows.</summary>
    public double HeatMinDeltaT { get; set; } = 5;

    /// <summary>Heat: return temperature above this (°C).</summary>
    public double HeatMaxReturnTemp { get; set; } = 60;

    /// <summary>Gas-leak detector: lel (% of the lower explosive limit) at or above this is a warning...</summary>
    public double GasLeakWarning { get; set; } = 10;

    /// <summary>...and at or above this critical.</summary>
    public double GasLeakCritical { get; set; } = 25;

    /// <summary>A critical alarm still unacknowledged this long after it was raised escalates (once; an event, counted).</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A community stores its alarm workflow at most this often while its rules keep changing alarms: a change after a
    /// quieter spell is stored (and announced) at once; changes within this of the last store wait and go together. An
    /// operator's action is always stored at once. Zero stores every batch's changes (the cost grows with the alarm
    /// rate: a flood of chattering sensors stored each community's whole workflow hundreds of times a second).
    /// </summary>
    public TimeSpan StoreInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Closed alarms kept per community for the alarm history, newest kept. Every alarm step is also written to the time
    /// series database (docs/influx-schema.md), so this is what the API's history shows from memory, not the only copy:
    /// 500 kept at 5 000 communities were 2.5 million records (over a gigabyte) once a flood had filled them. Past it, the
    /// alarms the list's budget closed go first (<see cref="ListKept"/>).
    /// </summary>
    public int HistoryKept { get; set; } = 20;

    /// <summary>
    /// Alarms on a community's list (not closed) past which the system closes the one that cleared longest ago, unacknowledged
    /// (docs/alarms.md §2, "A budget for the list"). Active alarms are never closed by the system, so only a community with
    /// more active alarms than this keeps more. Without it, a city where nobody acknowledges keeps one alarm per device and
    /// type that ever tripped: memory grew without bound under a flood (benchmarks/RESULTS.md §60).
    /// </summary>
    public int ListKept { get; set; } = 20;

    /// <summary>Audit entries kept per alarm (the raise is always kept; past it the oldest others go).</summary>
    public int AuditKept { get; set; } = 100;
}
