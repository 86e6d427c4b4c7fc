namespace CitySense.Contracts.Scenarios.Settings;

/// <summary>Heat-supply coverage: share of heat communities whose newest window's mean supplyTemp reaches MinSupplyTemp (°C).</summary>
public sealed class HeatCoverageSettings
{
    public double MinSupplyTemp { get; set; } = 50;

    /// <summary>Coverage (%) below this is a warning...</summary>
    public double WarningBelow { get; set; } = 95;

    /// <summary>...below this an alarm.</summary>
    public double AlarmBelow { get; set; } = 80;
}
