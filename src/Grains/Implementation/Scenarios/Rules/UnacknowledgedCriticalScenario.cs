using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// Critical alarms nobody has acknowledged yet (active or already cleared by their rule), oldest first: what an
/// operator must look at now. An escalated one (Alarms:EscalateAfter) makes the tile an alarm.
/// </summary>
public sealed class UnacknowledgedCriticalScenario(CountSettings settings) : Scenario("unacknowledged-critical", "Critical alarms unacknowledged", "operations")
{
    private readonly Dictionary<string, AlarmUpdate> _waiting = new(StringComparer.Ordinal);

    public override bool ReadsAlarms => true;

    protected override void Apply(AlarmUpdate update)
    {
        if (_waiting.TryGetValue(update.Alarm.AlarmId, out var known) && (known.Status?.Version ?? 0) > (update.Status?.Version ?? 0))
        {
            return;
        }

        // Kept until closed, acknowledged or not, so that an older version announced again loses against the newer one.
        if (update.Closed)
        {
            _waiting.Remove(update.Alarm.AlarmId);
        }
        else
        {
            _waiting[update.Alarm.AlarmId] = update;
        }
    }

    private static bool Waiting(AlarmUpdate update) => update.Alarm.Severity == AlarmSeverity.Critical && (update.Status is { } status
        ? status.Condition is AlarmCondition.ActiveUnacknowledged or AlarmCondition.ClearedUnacknowledged
        : update.Alarm.State != AlarmState.Cleared);

    public override ScenarioReport Report(int maxRows)
    {
        var rows = _waiting.Values.Where(Waiting).Select(a =>
        {
            var raisedAtMs = a.Status?.RaisedAtMs ?? a.AtMs;
            var escalated = a.Status?.EscalatedAtMs is not null;
            return new ScenarioRow($"{a.Alarm.District}/{a.Alarm.Community}", Math.Max(0, LatestAtMs - raisedAtMs) / 60_000.0,
                escalated ? ScenarioStatus.Alarm : ScenarioStatus.Warning, $"{a.Alarm.AlarmId}{(escalated ? ", escalated" : string.Empty)}");
        }).ToList();
        var escalatedCount = rows.Count(r => r.Status == ScenarioStatus.Alarm);
        var status = escalatedCount > 0 ? ScenarioStatus.Alarm : ScenarioStatus.AtOrAbove(rows.Count, settings.WarningAt, settings.AlarmAt);
        var figures = new Dictionary<string, double>(StringComparer.Ordinal) { ["escalated"] = escalatedCount };
        return Build(maxRows, rows.Count, "alarms", "critical alarms unacknowledged", status,
            $"Critical alarms not yet acknowledged; warning from {settings.WarningAt}, alarm from {settings.AlarmAt} or any escalated one. Rows: minutes since raised.",
            "min", rows, r => -r.Value, figures);
    }
}
