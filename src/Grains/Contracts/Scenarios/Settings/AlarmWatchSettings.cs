namespace CitySense.Contracts.Scenarios.Settings;

/// <summary>Alarms of one type whose condition is active (docs/alarms.md), counted per community.</summary>
public sealed class AlarmWatchSettings
{
    /// <summary>The alarm type (leak, burst, gas-leak, smoke, manhole-open, offline, ...).</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>Active alarms of the type, city-wide, from which the tile shows a warning...</summary>
    public int WarningAt { get; set; } = 1;

    /// <summary>...and an alarm (any critical one is an alarm too).</summary>
    public int AlarmAt { get; set; } = 1;
}
