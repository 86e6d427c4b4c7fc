using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// Alarm load by district: alarms on the operators' list (not yet cleared and acknowledged, docs/alarms.md) per
/// district, and how many of them nobody acknowledged.
/// </summary>
public sealed class AlarmLoadScenario(CountSettings settings) : Scenario("alarm-load", "Alarm load by district", "operations")
{
    private readonly Dictionary<string, AlarmUpdate> _open = new(StringComparer.Ordinal);

    public override bool ReadsAlarms => true;

    protected override void Apply(AlarmUpdate update)
    {
        if (_open.TryGetValue(update.Alarm.AlarmId, out var known) && (known.Status?.Version ?? 0) > (update.Status?.Version ?? 0))
        {
            return;
        }

        if (update.Closed)
        {
            _open.Remove(update.Alarm.AlarmId);
        }
        else
        {
            _open[update.Alarm.AlarmId] = update;
        }
    }

    public override ScenarioReport Report(int maxRows)
    {
        var rows = _open.Values.GroupBy(a => a.Alarm.District, StringComparer.Ordinal).Select(g =>
        {
            var unacknowledged = g.Count(a => a.Status?.Condition is null or AlarmCondition.ActiveUnacknowledged or AlarmCondition.ClearedUnacknowledged);
            return new ScenarioRow(g.Key, g.Count(), ScenarioStatus.AtOrAbove(g.Count(), settings.WarningAt, settings.AlarmAt),
                $"{unacknowledged} unacknowledged, {g.Count(a => a.Alarm.Severity == AlarmSeverity.Critical)} critical");
        }).ToList();
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["districts"] = rows.Count,
            ["unacknowledged"] = _open.Values.Count(a => a.Status?.Condition is null or AlarmCondition.ActiveUnacknowledged or AlarmCondition.ClearedUnacknowledged),
        };
        return Build(maxRows, _open.Count, "alarms", "alarms on the operators' list", ScenarioStatus.Worst(rows.Select(r => r.Status)),
            $"Open alarms (not cleared and acknowledged) per district; warning from {settings.WarningAt}, alarm from {settings.AlarmAt} in one district.",
            "alarms", rows, r => -r.Value, figures);
    }
}
