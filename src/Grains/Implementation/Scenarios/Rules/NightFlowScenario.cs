using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// Night-flow leak watch: each community's smallest water flowSum (m³/h) seen in updates announced during the local
/// night window. The newest night with a figure counts: the current night while it lasts, else the last one.
/// </summary>
public sealed class NightFlowScenario(NightFlowSettings settings, TimeZoneInfo zone) : Scenario("night-flow", "Night-flow leak watch", "water")
{
    private readonly Dictionary<string, Night> _nights = new(StringComparer.Ordinal);

    public override bool Reads(string level, string kind) => level == LiveLevels.Community && kind == Kinds.Water;

    protected override void Apply(IndicatorUpdate update)
    {
        if (update.Figures.FlowSum is not { } flow)
        {
            return;
        }

        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(update.AtMs), zone);
        var time = local.TimeOfDay;
        if (time < settings.NightStart || time >= settings.NightEnd)
        {
            return;
        }

        var date = DateOnly.FromDateTime(local.DateTime);
        if (_nights.TryGetValue(update.Key, out var night) && night.Date == date)
        {
            _nights[update.Key] = night with { MinFlow = Math.Min(night.MinFlow, flow), Samples = night.Samples + 1 };
        }
        else if (night is null || night.Date < date)
        {
            _nights[update.Key] = new Night(date, flow, 1);
        }
    }

    protected override string WaitingFor => $"the night ({settings.NightStart:hh\\:mm}–{settings.NightEnd:hh\\:mm} local): needs a night of data";

    public override ScenarioReport Report(int maxRows)
    {
        var rows = _nights.Select(p => new ScenarioRow(
            p.Key, p.Value.MinFlow, ScenarioStatus.AtOrAbove(p.Value.MinFlow, Math.BitIncrement(settings.WarningAbove), Math.BitIncrement(settings.AlarmAbove)),
            $"night of {p.Value.Date:yyyy-MM-dd}, {p.Value.Samples} updates")).ToList();
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["communities"] = rows.Count,
            ["nightFlowSum"] = rows.Sum(r => r.Value),
        };
        return Build(maxRows, rows.Count == 0 ? null : rows.Count(r => r.Status != ScenarioStatus.Ok), "communities", "communities flowing at night",
            ScenarioStatus.Worst(rows.Select(r => r.Status)),
            $"Smallest water flowSum (m³/h) of each community between {settings.NightStart:hh\\:mm} and {settings.NightEnd:hh\\:mm} local time ({zone.Id}); " +
            $"warning above {Format(settings.WarningAbove)}, alarm above {Format(settings.AlarmAbove)}.",
            "m³/h", rows, r => -r.Value, figures);
    }

    private sealed record Night(DateOnly Date, double MinFlow, int Samples);
}
