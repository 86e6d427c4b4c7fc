using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// Heat-supply coverage: the share of heat communities whose newest window's mean supply temperature reaches the
/// minimum, that is, whose homes get heat.
/// </summary>
public sealed class HeatCoverageScenario(HeatCoverageSettings settings) : Scenario("heat-coverage", "Heat-supply coverage", "heat")
{
    private const string Metric = "supplyTemp";
    private readonly Dictionary<string, double> _supplyTemp = new(StringComparer.Ordinal);

    public override bool Reads(string level, string kind) => level == LiveLevels.Community && kind == Kinds.Heat;

    protected override void Apply(IndicatorUpdate update)
    {
        if (update.Figures.Windows is [.., var window] && window.Metrics.FirstOrDefault(m => m.Name == Metric) is { Count: > 0 } stats)
        {
            _supplyTemp[update.Key] = stats.Mean;
        }
    }

    protected override string WaitingFor => "the first heat supplyTemp readings";

    public override ScenarioReport Report(int maxRows)
    {
        var rows = _supplyTemp.Select(p => new ScenarioRow(
            p.Key, p.Value, p.Value >= settings.MinSupplyTemp ? ScenarioStatus.Ok : ScenarioStatus.Alarm, null)).ToList();
        var covered = rows.Count(r => r.Status == ScenarioStatus.Ok);
        double? coverage = rows.Count == 0 ? null : 100.0 * covered / rows.Count;
        var figures = new Dictionary<string, double>(StringComparer.Ordinal) { ["communities"] = rows.Count, ["covered"] = covered };
        return Build(maxRows, coverage, "%", "heat communities supplied",
            coverage is { } c ? ScenarioStatus.Below(c, settings.WarningBelow, settings.AlarmBelow) : ScenarioStatus.Ok,
            $"Share of heat communities whose newest window's mean supplyTemp is at least {Format(settings.MinSupplyTemp)} °C; " +
            $"warning below {Format(settings.WarningBelow)} %, alarm below {Format(settings.AlarmBelow)} %.",
            "°C", rows, r => r.Value, figures);
    }
}
