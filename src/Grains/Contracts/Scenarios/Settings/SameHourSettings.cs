namespace CitySense.Contracts.Scenarios.Settings;

/// <summary>A community's consumption in the last complete hour against the mean of the same hour on the previous Days days.</summary>
public sealed class SameHourSettings
{
    public string Kind { get; set; } = "water";

    public int Days { get; set; } = 7;

    /// <summary>Last hour ÷ reference at or above this is a warning...</summary>
    public double WarningRatio { get; set; } = 1.5;

    /// <summary>...at or above this an alarm.</summary>
    public double AlarmRatio { get; set; } = 2;

    /// <summary>A reference below this (m³ or kWh) is too small to compare with: the community is listed, not judged.</summary>
    public double MinReference { get; set; } = 0.01;
}
