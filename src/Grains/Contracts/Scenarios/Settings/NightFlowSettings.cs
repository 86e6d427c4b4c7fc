namespace CitySense.Contracts.Scenarios.Settings;

/// <summary>
/// Night-flow leak watch: a community's smallest water flowSum (m³/h) during the local night window (time zone
/// Alarms:TimeZone). Homes sleep at night; water still flowing then is lost in pipes or left running.
/// </summary>
public sealed class NightFlowSettings
{
    public TimeSpan NightStart { get; set; } = TimeSpan.FromHours(2);

    public TimeSpan NightEnd { get; set; } = TimeSpan.FromHours(4);

    public double WarningAbove { get; set; } = 0.5;

    public double AlarmAbove { get; set; } = 2;
}
