using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// One scenario of docs/scenarios.md: a rule, its state and its report, with no Orleans in it, so that a unit test can
/// feed it a stream of updates and read its report. The host (<see cref="ScenarioHostGrain"/>) hands it only the
/// updates it <see cref="Reads"/>; a scenario keeps time by the updates' <see cref="ILiveUpdate.AtMs"/>, never by a clock,
/// so that what it reports depends on what it was fed alone.
/// </summary>
public abstract class Scenario(string id, string title, string domain)
{
    public string Id { get; } = id;

    public string Title { get; } = title;

    public string Domain { get; } = domain;

    /// <summary>Server time of the newest update taken (Unix ms).</summary>
    protected long LatestAtMs { get; private set; }

    /// <summary>Whether it takes indicator updates of this level and kind (asked once per pair, the answer is cached).</summary>
    public virtual bool Reads(string level, string kind) => false;

    /// <summary>Whether it takes alarm updates.</summary>
    public virtual bool ReadsAlarms => false;

    public void Take(IndicatorUpdate update)
    {
        LatestAtMs = Math.Max(LatestAtMs, update.AtMs);
        Apply(update);
    }

    public void Take(AlarmUpdate update)
    {
        LatestAtMs = Math.Max(LatestAtMs, update.AtMs);
        Apply(update);
    }

    public void Take(ApiTraffic traffic)
    {
        if (traffic.Node.Length == 0)
        {
            return;
        }

        LatestAtMs = Math.Max(LatestAtMs, traffic.AtMs);
        Apply(traffic);
    }

    protected virtual void Apply(IndicatorUpdate update)
    {
    }

    protected virtual void Apply(AlarmUpdate update)
    {
    }

    protected virtual void Apply(ApiTraffic traffic)
    {
    }

    /// <summary>
    /// What a tile without a headline waits for, after "waiting for" in its label: a screen shows why it is blank (a
    /// night, a day of history, the first readings of a metric) instead of a zero it has not computed.
    /// </summary>
    protected virtual string WaitingFor => "its first update";

    public abstract ScenarioReport Report(int maxRows);

    public ScenarioTile Tile() => Report(0).Tile;

    /// <summary>The report, rows sorted worst first (then by <paramref name="order"/>) and cut to <paramref name="maxRows"/>.</summary>
    protected ScenarioReport Build(
        int maxRows, double? headline, string unit, string label, string status, string rule, string rowUnit,
        IEnumerable<ScenarioRow> rows, Func<ScenarioRow, double> order, Dictionary<string, double> figures)
    {
        var all = rows.OrderByDescending(r => ScenarioStatus.Rank(r.Status)).ThenBy(order).ThenBy(r => r.Area, StringComparer.Ordinal).ToList();
        return new ScenarioReport(
            new ScenarioTile(Id, Title, Domain, headline, unit, headline is null ? $"waiting for {WaitingFor}" : label, status),
            rule, rowUnit, all.Take(maxRows).ToArray(), all.Count, figures, LatestAtMs);
    }

    /// <summary>Figures are doubles: a scenario's rounding is the reader's, not the report's.</summary>
    protected static string Format(double value) => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
