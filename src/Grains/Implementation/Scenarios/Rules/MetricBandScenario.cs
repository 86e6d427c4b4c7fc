using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;
using CitySense.Contracts.Snapshots;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// One metric of one kind (or of every kind, Kind "*") held to a band per community, from the newest window each
/// update carries: water and gas pressure, heating ΔT, return temperature, air quality, noise, batteries.
/// </summary>
public sealed class MetricBandScenario(string id, string title, string domain, BandSettings settings) : Scenario(id, title, domain)
{
    // Per community and kind: a battery in a water meter and one in a smoke detector are two figures of one community.
    private readonly Dictionary<(string Area, string Kind), Judged> _latest = [];

    private bool AnyKind => settings.Kind == "*";

    public override bool Reads(string level, string kind) =>
        level == LiveLevels.Community && (AnyKind || string.Equals(kind, settings.Kind, StringComparison.Ordinal));

    protected override void Apply(IndicatorUpdate update)
    {
        var windows = update.Figures.Windows;
        if (windows.Length == 0)
        {
            return;
        }

        var window = windows[^1];
        foreach (var metric in window.Metrics)
        {
            if (string.Equals(metric.Name, settings.Metric, StringComparison.Ordinal) && metric.Count > 0)
            {
                _latest[(update.Key, update.Figures.Kind)] = Judge(metric);
                return;
            }
        }
    }

    private Judged Judge(MetricStats stats)
    {
        if (settings.Statistic == BandStatistic.Mean)
        {
            return new Judged(stats.Mean, Worst(ScenarioStatus.Below(stats.Mean, settings.WarningBelow, settings.AlarmBelow),
                ScenarioStatus.AtOrAbove(stats.Mean, Above(settings.WarningAbove), Above(settings.AlarmAbove))));
        }

        var low = ScenarioStatus.Below(stats.Min, settings.WarningBelow, settings.AlarmBelow);
        var high = ScenarioStatus.AtOrAbove(stats.Max, Above(settings.WarningAbove), Above(settings.AlarmAbove));
        // The figure shown is the one that broke the band; within it, the side the band watches.
        if (ScenarioStatus.Rank(low) >= ScenarioStatus.Rank(high) && low != ScenarioStatus.Ok)
        {
            return new Judged(stats.Min, low);
        }

        if (high != ScenarioStatus.Ok)
        {
            return new Judged(stats.Max, high);
        }

        return new Judged(settings.WarningBelow is null && settings.AlarmBelow is null ? stats.Max : stats.Min, ScenarioStatus.Ok);
    }

    /// <summary>"Above" is strict: a value equal to the bound is still in the band.</summary>
    private static double? Above(double? bound) => bound is { } b ? Math.BitIncrement(b) : null;

    private static string Worst(string a, string b) => ScenarioStatus.Worst(a, b);

    protected override string WaitingFor => $"the first '{settings.Metric}' readings of {(AnyKind ? "any kind" : $"'{settings.Kind}'")}";

    public override ScenarioReport Report(int maxRows)
    {
        var rows = _latest.Select(p => new ScenarioRow(p.Key.Area, p.Value.Value, p.Value.Status, AnyKind ? p.Key.Kind : null)).ToList();
        var outside = rows.Count(r => r.Status != ScenarioStatus.Ok);
        var figures = new Dictionary<string, double>(StringComparer.Ordinal) { ["communities"] = _latest.Keys.Select(k => k.Area).Distinct(StringComparer.Ordinal).Count() };
        if (rows.Count > 0)
        {
            figures["min"] = rows.Min(r => r.Value);
            figures["max"] = rows.Max(r => r.Value);
        }

        // Worst first within a status: the lowest values for a floor, the highest for a ceiling.
        var lowWatched = settings.WarningBelow is not null || settings.AlarmBelow is not null;
        var highWatched = settings.WarningAbove is not null || settings.AlarmAbove is not null;
        Func<ScenarioRow, double> order = lowWatched && !highWatched ? r => r.Value : r => -r.Value;
        var statistic = settings.Statistic == BandStatistic.Mean ? "mean" : "minimum and maximum";
        return Build(maxRows, rows.Count == 0 ? null : outside, "communities", "communities out of band", ScenarioStatus.Worst(rows.Select(r => r.Status)),
            $"The {statistic} of '{settings.Metric}' ({settings.Unit}) of {(AnyKind ? "every kind" : $"'{settings.Kind}'")} in each community's newest window; " +
            $"warning below {Bound(settings.WarningBelow)} or above {Bound(settings.WarningAbove)}, alarm below {Bound(settings.AlarmBelow)} or above {Bound(settings.AlarmAbove)}.",
            settings.Unit, rows, order, figures);
    }

    private static string Bound(double? bound) => bound is { } b ? Format(b) : "-";

    private readonly record struct Judged(double Value, string Status);
}
