namespace CitySense.Contracts.Scenarios.Settings;

/// <summary>A count judged against two bounds (warning at or above, alarm at or above).</summary>
public sealed class CountSettings
{
    public int WarningAt { get; set; } = 1;

    public int AlarmAt { get; set; } = 5;
}
