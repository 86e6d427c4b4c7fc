namespace CitySense.Contracts.Scenarios.Settings;

/// <summary>
/// A metric of one kind held to a band, per community, from the newest window of each update: below a bound or above
/// one is a warning or an alarm. A bound left null never trips. Units are the telemetry contract's.
/// </summary>
public sealed class BandSettings
{
    public string Kind { get; set; } = string.Empty;

    public string Metric { get; set; } = string.Empty;

    /// <summary>
    /// Extremes: the window's minimum is held to the lower bounds and its maximum to the upper ones (one bad reading
    /// counts). Mean: the window's mean is held to both (a level, not a spike).
    /// </summary>
    public BandStatistic Statistic { get; set; } = BandStatistic.Extremes;

    public double? WarningBelow { get; set; }

    public double? AlarmBelow { get; set; }

    public double? WarningAbove { get; set; }

    public double? AlarmAbove { get; set; }

    public string Unit { get; set; } = string.Empty;
}
