using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// The alarms of one type whose condition is active (raised by their rule and not cleared, by the rule or by hand),
/// counted per community: bursts, leaks, gas leaks, smoke, open manholes, offline devices.
/// </summary>
public sealed class ActiveAlarmsScenario(string id, string title, string domain, AlarmWatchSettings settings) : Scenario(id, title, domain)
{
    // Every alarm of the type still on the operators' list, active or not: an older version announced again later
    // (docs/live.md: a version can repeat after a failover) must find the newer one to lose against.
    private readonly Dictionary<string, AlarmUpdate> _open = new(StringComparer.Ordinal);

    public override bool ReadsAlarms => true;

    protected override void Apply(AlarmUpdate update)
    {
        if (!string.Equals(update.Alarm.Type, settings.Type, StringComparison.Ordinal))
        {
            return;
        }

        // A repeated announcement (after a silo failure) may carry an older version: never go back.
        if (_open.TryGetValue(update.Alarm.AlarmId, out var known) && Version(known) > Version(update))
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
        var active = _open.Values.Where(IsActive).ToList();
        var rows = active
            .GroupBy(a => $"{a.Alarm.District}/{a.Alarm.Community}", StringComparer.Ordinal)
            .Select(g => new ScenarioRow(
                g.Key,
                g.Count(),
                g.Any(a => a.Alarm.Severity == AlarmSeverity.Critical) ? ScenarioStatus.Alarm : ScenarioStatus.Warning,
                string.Join(", ", g.Select(a => a.Alarm.Device).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))));
        var count = active.Count;
        var status = active.Any(a => a.Alarm.Severity == AlarmSeverity.Critical)
            ? ScenarioStatus.Alarm
            : ScenarioStatus.AtOrAbove(count, settings.WarningAt, settings.AlarmAt);
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["communities"] = active.Select(a => (a.Alarm.District, a.Alarm.Community)).Distinct().Count(),
            ["unacknowledged"] = active.Count(a => a.Status?.Condition is null or AlarmCondition.ActiveUnacknowledged),
            ["critical"] = active.Count(a => a.Alarm.Severity == AlarmSeverity.Critical),
        };
        return Build(maxRows, count, "alarms", $"active {settings.Type} alarms", status,
            $"Alarms of type '{settings.Type}' whose condition is active, per community; warning from {settings.WarningAt}, alarm from {settings.AlarmAt} or any critical one.",
            "alarms", rows, r => -r.Value, figures);
    }

    /// <summary>Active: the workflow's condition when the event has one, else the rule's state.</summary>
    private static bool IsActive(AlarmUpdate update) => update.Status is { } status
        ? status.Condition is AlarmCondition.ActiveUnacknowledged or AlarmCondition.ActiveAcknowledged
        : update.Alarm.State != AlarmState.Cleared;

    private static long Version(AlarmUpdate update) => update.Status?.Version ?? 0;
}
