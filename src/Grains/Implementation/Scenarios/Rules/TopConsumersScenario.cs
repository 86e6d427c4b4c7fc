using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>The communities that consumed the most of one kind since start (register consumption, m³ or kWh).</summary>
public sealed class TopConsumersScenario(TopConsumersSettings settings) : Scenario("top-consumers", "Top consuming communities", settings.Kind)
{
    private readonly Dictionary<string, double> _consumption = new(StringComparer.Ordinal);

    private string Unit => settings.Kind == Kinds.Heat ? "kWh" : "m³";

    public override bool Reads(string level, string kind) => level == LiveLevels.Community && kind == settings.Kind;

    protected override void Apply(IndicatorUpdate update)
    {
        if (update.Figures.Consumption is { } consumption)
        {
            _consumption[update.Key] = (double)consumption;
        }
    }

    protected override string WaitingFor => $"the first '{settings.Kind}' consumption";

    public override ScenarioReport Report(int maxRows)
    {
        var total = _consumption.Values.Sum();
        var top = _consumption.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(settings.Top).ToList();
        var rows = top.Select(p => new ScenarioRow(p.Key, p.Value, ScenarioStatus.Ok, total > 0 ? $"{Format(100 * p.Value / total)} % of the city" : null));
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["communities"] = _consumption.Count,
            ["total"] = total,
            ["topShare"] = total > 0 ? 100 * top.Sum(p => p.Value) / total : 0,
        };
        return Build(maxRows, top.Count == 0 ? null : top[0].Value, Unit, "largest community's consumption", ScenarioStatus.Ok,
            $"The {settings.Top} communities with the largest '{settings.Kind}' consumption since start ({Unit}); informational, always ok.",
            Unit, rows, r => -r.Value, figures);
    }
}
