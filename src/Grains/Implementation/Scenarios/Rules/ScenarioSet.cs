using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>
/// Scenarios fed together: each update goes to the scenarios that read its level and kind (found once per pair), each
/// alarm to those that read alarms. The host grain's whole logic, kept apart from Orleans so tests feed it directly.
/// </summary>
public sealed class ScenarioSet(IReadOnlyList<Scenario> scenarios)
{
    private readonly Dictionary<(string Level, string Kind), Scenario[]> _readers = [];
    private readonly Scenario[] _alarmReaders = scenarios.Where(s => s.ReadsAlarms).ToArray();

    public IReadOnlyList<Scenario> Scenarios => scenarios;

    public void Take(IndicatorUpdate update)
    {
        var key = (update.Level, update.Figures.Kind);
        if (!_readers.TryGetValue(key, out var readers))
        {
            _readers[key] = readers = scenarios.Where(s => s.Reads(update.Level, update.Figures.Kind)).ToArray();
        }

        foreach (var scenario in readers)
        {
            scenario.Take(update);
        }
    }

    public void Take(AlarmUpdate update)
    {
        foreach (var scenario in _alarmReaders)
        {
            scenario.Take(update);
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
            scenario.Take(traffic);
        }
    }

    public ScenarioTile[] Tiles() => scenarios.Select(s => s.Tile()).ToArray();

    /// <summary>Null for an unknown id.</summary>
    public ScenarioReport? Report(string id, int maxRows) =>
        scenarios.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal))?.Report(Math.Max(0, maxRows));
}
