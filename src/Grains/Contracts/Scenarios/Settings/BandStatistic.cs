namespace CitySense.Contracts.Scenarios.Settings;

/// <summary>Which statistic of a window a band holds (<see cref="BandSettings.Statistic"/>).</summary>
public enum BandStatistic
{
    Extremes,
    Mean,
}
