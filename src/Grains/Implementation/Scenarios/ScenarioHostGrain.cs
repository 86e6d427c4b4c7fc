using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Grains.Scenarios.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Scenarios;

/// <summary>
/// The city brain: every scenario of <see cref="ScenarioCatalog"/> in one activation, fed by each silo's live publisher
/// with one call per round (the first round activates it; nothing starts it).
/// Called, not subscribed to the city's streams: a memory stream serializes every event into its queue and cache even
/// for a consumer on the same silo, and at a million devices that was most of what the live streams cost
/// (benchmarks/RESULTS.md §46); an immutable call to a local grain hands the array over.
/// One grain for all scenarios, not one per scenario: each update arrives once, and a publisher's round arrives as one
/// grain call; an update then costs one dictionary lookup (the scenarios reading its level and kind) and the few
/// scenarios' O(1) updates. docs/scenarios.md weighs this against one grain per district.
/// The state is in memory: after a restart most scenarios are whole again with each area's next update (updates carry
/// complete figures); alarm scenarios see the alarms each community announces again on activation (docs/alarms.md).
/// </summary>
public sealed partial class ScenarioHostGrain(IOptions<ScenarioOptions> options, IOptions<AlarmOptions> alarms, ILogger<ScenarioHostGrain> logger)
    : Grain, IScenarioHostGrain
{
    private readonly ScenarioOptions _options = options.Value;
    private ScenarioSet _set = new([]);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(alarms.Value.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        // Off (Scenarios:Enabled=false), the API's questions still come here: no scenario, no tile, every report 404.
        _set = new ScenarioSet(_options.Enabled ? ScenarioCatalog.Create(_options, zone) : [])
        {
            // Once per scenario, then every 1 000th failure: a rule failing on every update must not flood the log.
            Failed = (scenario, ex) =>
            {
                var failures = _set.FailuresOf(scenario.Id);
                if (failures == 1 || failures % 1000 == 0)
                {
                    LogScenarioFailed(scenario.Id, failures, ex);
                }
            },
        };
        // What the scenarios keep lives in memory: the grain must not be collected while the city runs.
        this.DelayDeactivation(GrainLifetime.WithData);
        return Task.CompletedTask;
    }

    public Task Take(Immutable<ILiveUpdate[]> updates)
    {
        foreach (var update in updates.Value)
        {
            _set.Take(update);
        }

        return Task.CompletedTask;
    }

    public Task<ScenarioTile[]> GetTiles(ApiTraffic traffic)
    {
        _set.Take(traffic);
        return Task.FromResult(_set.Tiles());
    }

    public Task<ScenarioReport?> GetReport(string id, ApiTraffic traffic)
    {
        _set.Take(traffic);
        return Task.FromResult(_set.Report(id, _options.MaxRows));
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Error, Message = "Scenario {Scenario} failed ({Failures} times so far); the other scenarios go on")]
    private partial void LogScenarioFailed(string scenario, long failures, Exception exception);
}
