using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// Scenarios fed together: each update goes to the scenarios that read its level and kind (found once per pair), each
/// alarm to those that read alarms. The host grain's whole logic, kept apart from Orleans so tests feed it directly.
/// A scenario that throws loses that update, not the others theirs: the failure is counted and handed to
/// <see cref="Failed"/> (the host logs it), and a report that throws shows as a warning tile.
/// </summary>
public sealed class ScenarioSet(IReadOnlyList<Scenario> scenarios)
{
    private readonly Dictionary<string, long> _failures = new(StringComparer.Ordinal);

    private readonly Dictionary<(string Level, string Kind), Scenario[]> _readers = [];
    private readonly Scenario[] _alarmReaders = scenarios.Where(s => s.ReadsAlarms).ToArray();

    public IReadOnlyList<Scenario> Scenarios => scenarios;

    /// <summary>Called with the scenario and its exception each time one throws.</summary>
    public Action<Scenario, Exception>? Failed { get; set; }

    /// <summary>Updates (or reports) each scenario failed on so far, by id; absent when none.</summary>
    public long FailuresOf(string id) => _failures.GetValueOrDefault(id);

    public void Take(IndicatorUpdate update)
    {
        var key = (update.Level, update.Figures.Kind);
        if (!_readers.TryGetValue(key, out var readers))
        {
            _readers[key] = readers = scenarios.Where(s => s.Reads(update.Level, update.Figures.Kind)).ToArray();
        }

        foreach (var scenario in readers)
        {
            try
            {
                scenario.Take(update);
            }
            catch (Exception ex)
            {
                Fail(scenario, ex);
            }
        }
    }

    public void Take(AlarmUpdate update)
    {
        foreach (var scenario in _alarmReaders)
        {
            try
            {
                scenario.Take(update);
            }
            catch (Exception ex)
            {
                Fail(scenario, ex);
            }
        }
    }

    public void Take(ILiveUpdate update)
    {
        switch (update)
        {
            case IndicatorUpdate indicator:
                Take(indicator);
                break;
            case AlarmUpdate alarm:
                Take(alarm);
                break;
        }
    }

    public void Take(ApiTraffic traffic)
    {
        foreach (var scenario in scenarios)
        {
            try
            {
                scenario.Take(traffic);
            }
            catch (Exception ex)
            {
                Fail(scenario, ex);
            }
        }
    }

    public ScenarioTile[] Tiles() => scenarios.Select(s =>
    {
        try
        {
            return s.Tile();
        }
        catch (Exception ex)
        {
            Fail(s, ex);
            return FailedTile(s);
        }
    }).ToArray();

    /// <summary>Null for an unknown id.</summary>
    public ScenarioReport? Report(string id, int maxRows)
    {
        var scenario = scenarios.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));
        if (scenario is null)
        {
            return null;
        }

        try
        {
            return scenario.Report(Math.Max(0, maxRows));
        }
        catch (Exception ex)
        {
            Fail(scenario, ex);
            return new ScenarioReport(FailedTile(scenario), "The scenario failed to build its report: see the silo log.", string.Empty, [], 0, [], 0);
        }
    }

    private ScenarioTile FailedTile(Scenario s) => new(s.Id, s.Title, s.Domain, null, string.Empty, "scenario failed: see the silo log", ScenarioStatus.Warning);

    private void Fail(Scenario scenario, Exception ex)
    {
        _failures[scenario.Id] = _failures.GetValueOrDefault(scenario.Id) + 1;
        Failed?.Invoke(scenario, ex);
    }
}
