using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Telemetry;
using Orleans.Streams;

namespace CitySense.Grains.Scenarios;

/// <summary>
/// The example scenario of docs/scenarios.md: an ordinary grain with explicit subscriptions to one district's
/// indicator and alarm streams. Subscriptions are stored in "PubSubStore" and outlive the activation, so a new
/// activation resumes them instead of subscribing again (which would deliver every event twice).
/// </summary>
public sealed class DistrictWatchGrain : Grain, IDistrictWatchGrain
{
    private readonly Dictionary<string, double> _waterFlowByCommunity = new(StringComparer.Ordinal);
    private readonly HashSet<string> _activeAlarms = new(StringComparer.Ordinal);
    private IAsyncStream<IndicatorUpdate> _indicators = null!;
    private IAsyncStream<AlarmUpdate> _alarms = null!;
    private long _updates;
    private long _alarmEvents;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var district = this.GetPrimaryKeyString();
        var provider = this.GetStreamProvider(LiveStreams.Provider);
        _indicators = provider.GetStream<IndicatorUpdate>(LiveStreams.DistrictIndicatorsStream(district));
        _alarms = provider.GetStream<AlarmUpdate>(LiveStreams.DistrictAlarmsStream(district));
        foreach (var handle in await _indicators.GetAllSubscriptionHandles())
        {
            await handle.ResumeAsync(OnIndicatorAsync);
        }

        foreach (var handle in await _alarms.GetAllSubscriptionHandles())
        {
            await handle.ResumeAsync(OnAlarmAsync);
        }
    }

    public async Task Start()
    {
        // What the watch keeps lives in memory: it must not be collected while it watches.
        this.DelayDeactivation(GrainLifetime.WithData);
        if ((await _indicators.GetAllSubscriptionHandles()).Count == 0)
        {
            await _indicators.SubscribeAsync(OnIndicatorAsync);
        }

        if ((await _alarms.GetAllSubscriptionHandles()).Count == 0)
        {
            await _alarms.SubscribeAsync(OnAlarmAsync);
        }
    }

    public Task<DistrictWatchReport> GetReport()
    {
        var busiest = _waterFlowByCommunity.Count == 0 ? null : _waterFlowByCommunity.MaxBy(p => p.Value).Key;
        return Task.FromResult(new DistrictWatchReport(
            this.GetPrimaryKeyString(),
            _updates,
            new Dictionary<string, double>(_waterFlowByCommunity, StringComparer.Ordinal),
            busiest,
            _activeAlarms.Order(StringComparer.Ordinal).ToArray(),
            _alarmEvents));
    }

    private Task OnIndicatorAsync(IndicatorUpdate update, StreamSequenceToken? token)
    {
        _updates++;
        // Each update carries the kind's current figures, not a delta: keeping the latest value is enough.
        if (update.Level == LiveLevels.Community && update.Figures.Kind == Kinds.Water && update.Figures.FlowSum is { } flow)
        {
            _waterFlowByCommunity[update.Community!] = flow;
        }

        return Task.CompletedTask;
    }

    private Task OnAlarmAsync(AlarmUpdate update, StreamSequenceToken? token)
    {
        _alarmEvents++;
        if (update.Alarm.State == AlarmState.Cleared)
        {
            _activeAlarms.Remove(update.Alarm.AlarmId);
        }
        else
        {
            _activeAlarms.Add(update.Alarm.AlarmId);
        }

        return Task.CompletedTask;
    }
}
