using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// Consumption against the same hour of the previous days: each community's consumption in the last complete hour
/// (from the growth of its since-start consumption between updates, booked in the hour of the later update) against
/// the mean of that hour on the previous <see cref="SameHourSettings.Days"/> days that had updates.
/// Hours are hours of Unix time: "the same hour yesterday" is 24 h earlier, so an hour shifts by one across a DST change.
/// </summary>
public sealed class SameHourScenario(SameHourSettings settings) : Scenario("same-hour", "Consumption against the same hour of the last days", settings.Kind)
{
    private const long HourMs = 3_600_000;
    private readonly Dictionary<string, Community> _communities = new(StringComparer.Ordinal);

    public override bool Reads(string level, string kind) => level == LiveLevels.Community && kind == settings.Kind;

    protected override void Apply(IndicatorUpdate update)
    {
        if (update.Figures.Consumption is not { } consumption)
        {
            return;
        }

        var hour = update.AtMs / HourMs;
        if (!_communities.TryGetValue(update.Key, out var community))
        {
            // The first update sets the baseline: what came before it has no hour.
            _communities[update.Key] = new Community((double)consumption, hour);
            return;
        }

        var delta = (double)consumption - community.Last;
        community.Last = (double)consumption;
        // A smaller figure is a silo restart (since-start consumption begins again): a new baseline, nothing booked.
        community.Hours[hour] = community.Hours.GetValueOrDefault(hour) + Math.Max(0, delta);
        var oldest = hour - (settings.Days + 1) * 24;
        if (community.Hours.Count > (settings.Days + 1) * 24 + 2)
        {
            foreach (var stale in community.Hours.Keys.Where(h => h < oldest).ToList())
            {
                community.Hours.Remove(stale);
            }
        }
    }

    protected override string WaitingFor => $"the same hour a day earlier: needs a day of data (judged on up to {settings.Days} days)";

    public override ScenarioReport Report(int maxRows)
    {
        var lastHour = LatestAtMs / HourMs - 1;
        var rows = new List<ScenarioRow>();
        foreach (var (key, community) in _communities)
        {
            if (community.FirstHour >= lastHour)
            {
                continue;
            }

            var now = community.Hours.GetValueOrDefault(lastHour);
            var reference = Enumerable.Range(1, settings.Days).Select(d => lastHour - d * 24L)
                .Where(h => community.Hours.ContainsKey(h)).Select(h => community.Hours[h]).ToList();
            if (reference.Count == 0)
            {
                continue;
            }

            var mean = reference.Average();
            var judged = mean >= settings.MinReference;
            var ratio = judged ? now / mean : 0;
            rows.Add(new ScenarioRow(key, ratio, judged ? ScenarioStatus.AtOrAbove(ratio, settings.WarningRatio, settings.AlarmRatio) : ScenarioStatus.Ok,
                $"{Format(now)} against {Format(mean)} (mean of {reference.Count} days)"));
        }

        var figures = new Dictionary<string, double>(StringComparer.Ordinal) { ["communities"] = rows.Count, ["hourStartMs"] = lastHour * HourMs };
        return Build(maxRows, rows.Count == 0 ? null : rows.Count(r => r.Status != ScenarioStatus.Ok), "communities", "communities above their usual hour",
            ScenarioStatus.Worst(rows.Select(r => r.Status)),
            $"'{settings.Kind}' consumption of each community in the last complete hour ÷ the mean of that hour on the previous {settings.Days} days with updates; " +
            $"warning from {Format(settings.WarningRatio)}, alarm from {Format(settings.AlarmRatio)}; references below {Format(settings.MinReference)} are not judged.",
            "ratio", rows, r => -r.Value, figures);
    }

    private sealed class Community(double last, long firstHour)
    {
        public double Last { get; set; } = last;

        public long FirstHour { get; } = firstHour;

        /// <summary>Consumption booked per hour (Unix ms ÷ 3 600 000); an hour present had at least one update.</summary>
        public Dictionary<long, double> Hours { get; } = [];
    }
}
