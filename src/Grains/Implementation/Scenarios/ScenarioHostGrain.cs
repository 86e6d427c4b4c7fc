using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Grains.Scenarios.Rules;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace CitySense.Grains.Scenarios;

/// <summary>
/// The city brain: every scenario of <see cref="ScenarioCatalog"/> in one activation, fed by the city's indicator and
/// alarm streams through implicit subscriptions (the first update activates it; nothing starts it).
/// One grain for all scenarios, not one per scenario: each update crosses the stream once, and the publisher's batches
/// arrive as one grain call each; an update then costs one dictionary lookup (the scenarios reading its level and
/// kind) and the few scenarios' O(1) updates. docs/scenarios.md weighs this against one grain per district.
/// The state is in memory: after a restart most scenarios are whole again with each area's next update (updates carry
/// complete figures); alarm scenarios see the alarms each community announces again on activation (docs/alarms.md).
/// </summary>
[ImplicitStreamSubscription(LiveStreams.CityIndicators)]
[ImplicitStreamSubscription(LiveStreams.CityAlarms)]
public sealed class ScenarioHostGrain(IOptions<ScenarioOptions> options, IOptions<AlarmOptions> alarms) : Grain, IScenarioHostGrain, IStreamSubscriptionObserver
{
    private readonly ScenarioOptions _options = options.Value;
    private readonly Dictionary<(string Level, string Kind), Scenario[]> _readers = [];
    private IReadOnlyList<Scenario> _scenarios = [];
    private Scenario[] _alarmReaders = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(alarms.Value.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        _scenarios = ScenarioCatalog.Create(_options, zone);
        _alarmReaders = _scenarios.Where(s => s.ReadsAlarms).ToArray();
        // What the scenarios keep lives in memory: the grain must not be collected while the city runs.
        this.DelayDeactivation(GrainLifetime.WithData);
        return Task.CompletedTask;
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        if (handleFactory.StreamId.GetNamespace() == LiveStreams.CityAlarms)
        {
            await handleFactory.Create<AlarmUpdate>().ResumeAsync(OnAlarmAsync);
        }
        else
        {
            await handleFactory.Create<IndicatorUpdate>().ResumeAsync(OnIndicatorAsync);
        }
    }

    public Task<ScenarioTile[]> GetTiles(ApiTraffic traffic)
    {
        Feed(traffic);
        return Task.FromResult(_scenarios.Select(s => s.Tile()).ToArray());
    }

    public Task<ScenarioReport?> GetReport(string id, ApiTraffic traffic)
    {
        Feed(traffic);
        var scenario = _scenarios.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));
        return Task.FromResult(scenario?.Report(Math.Max(0, _options.MaxRows)));
    }

    private void Feed(ApiTraffic traffic)
    {
        foreach (var scenario in _scenarios)
        {
            scenario.Take(traffic);
        }
    }

    private Task OnIndicatorAsync(IndicatorUpdate update, StreamSequenceToken? token)
    {
        var key = (update.Level, update.Figures.Kind);
        if (!_readers.TryGetValue(key, out var readers))
        {
            _readers[key] = readers = _scenarios.Where(s => s.Reads(update.Level, update.Figures.Kind)).ToArray();
        }

        foreach (var scenario in readers)
        {
            scenario.Take(update);
        }

        return Task.CompletedTask;
    }

    private Task OnAlarmAsync(AlarmUpdate update, StreamSequenceToken? token)
    {
        foreach (var scenario in _alarmReaders)
        {
            scenario.Take(update);
        }

        return Task.CompletedTask;
    }
}
