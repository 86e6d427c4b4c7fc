using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Snapshots;
using CitySense.Grains.Scenarios.Rules;

namespace CitySense.UnitTests.Scenarios;

/// <summary>
/// A stream of live updates as the city stream carries them, fed to every scenario of the catalogue (default settings)
/// through the host's dispatch, so that each test also proves the scenario reads the updates it needs.
/// </summary>
internal sealed class CityStream
{
    public const long Day0Ms = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    public const long HourMs = 3_600_000;
    private long _seq;

    public CityStream(Action<ScenarioOptions>? configure = null, string timeZone = "UTC")
    {
        var options = new ScenarioOptions();
        configure?.Invoke(options);
        Options = options;
        Set = new ScenarioSet(ScenarioCatalog.Create(options, TimeZoneInfo.FindSystemTimeZoneById(timeZone)));
    }

    public ScenarioOptions Options { get; }

    public ScenarioSet Set { get; }

    public ScenarioReport Report(string id) => Set.Report(id, 1000) ?? throw new InvalidOperationException($"no scenario {id}");

    public ScenarioRow Row(string id, string area) => Report(id).Rows.Single(r => r.Area == area);

    /// <summary>A community update whose newest window holds <paramref name="window"/> (count, min, max, mean, latest of each metric).</summary>
    public IndicatorUpdate Community(string key, string kind, long atMs, decimal? consumption = null, double? flowSum = null,
        long accepted = 1, long rejected = 0, long duplicates = 0, long late = 0, params MetricStats[] window)
    {
        var update = new IndicatorUpdate(++_seq, atMs, LiveLevels.Community, key, Figures(kind, atMs, consumption, flowSum, accepted, rejected, duplicates, late, window));
        Set.Take(update);
        return update;
    }

    public IndicatorUpdate District(string district, string kind, long atMs, long accepted, long rejected = 0, long duplicates = 0, long late = 0)
    {
        var update = new IndicatorUpdate(++_seq, atMs, LiveLevels.District, district, Figures(kind, atMs, null, null, accepted, rejected, duplicates, late, []));
        Set.Take(update);
        return update;
    }

    public AlarmUpdate Alarm(string key, string type, AlarmSeverity severity, AlarmCondition condition, long version, long atMs,
        string device = "d1", long startMs = Day0Ms, bool escalated = false)
    {
        var district = key[..key.IndexOf('/')];
        var community = key[(key.IndexOf('/') + 1)..];
        var cleared = condition is AlarmCondition.ClearedAcknowledged or AlarmCondition.ClearedUnacknowledged;
        var alarm = new AlarmEvent($"{device}/{type}/{startMs}", type, severity, cleared ? AlarmState.Cleared : AlarmState.Raised,
            district, community, "any", device, startMs, cleared ? atMs : null, 1, 1, type);
        var acknowledged = condition is AlarmCondition.ActiveAcknowledged or AlarmCondition.ClearedAcknowledged;
        var update = new AlarmUpdate(++_seq, atMs, alarm)
        {
            Status = new AlarmStatus(alarm.AlarmId, condition, version, startMs, acknowledged ? "ops" : null, acknowledged ? atMs : null, null,
                escalated ? atMs : null, condition == AlarmCondition.ClearedAcknowledged ? atMs : null),
        };
        Set.Take(update);
        return update;
    }

    public static MetricStats Metric(string name, params double[] values) =>
        new(name, values.Length, values.Min(), values.Max(), values.Average(), values[^1], 0);

    private static KindSnapshot Figures(string kind, long atMs, decimal? consumption, double? flowSum, long accepted, long rejected, long duplicates, long late, MetricStats[] window)
    {
        var windows = window.Length == 0 ? Array.Empty<WindowSnapshot>() : [new WindowSnapshot(atMs - atMs % 60_000, atMs - atMs % 60_000 + 60_000, 0, accepted, rejected, 1, window)];
        return new KindSnapshot(kind, consumption, flowSum, 1, accepted, rejected, window, windows) { Duplicates = duplicates, Late = late };
    }
}
