using CitySense.Contracts.Alarms;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Domain.Alarms;

/// <summary>
/// The alarm rules of a group of devices (a device shard): the options and the city's time zone, and one idle
/// <see cref="AlarmEvaluator"/> to lend to a device that keeps none. A device keeps an evaluator only while it has
/// something to remember (<see cref="AlarmEvaluator.IsIdle"/>: an active alarm, or a water meter's flow baseline and leak
/// watch), so a city's smoke, gas and heat devices cost nothing here between alarms. Not thread-safe: one per grain, used
/// inside a turn.
/// </summary>
public sealed class AlarmRules(AlarmOptions options, TimeZoneInfo zone)
{
    // Idle evaluators to lend: devices whose alarms cleared give theirs back here, so a shard whose devices raise and
    // clear alarms all the time reuses evaluators instead of making one per alarm. Bounded: past it they are dropped.
    private const int Kept = 64;
    private readonly Stack<AlarmEvaluator> _idle = new();

    /// <summary>
    /// Evaluates a reading with the device's own evaluator, or with a lent idle one when it has none; returns the events
    /// and the evaluator the device keeps from now on (null when it has nothing to remember).
    /// </summary>
    public (AlarmEvent[] Events, AlarmEvaluator? Kept) Evaluate(AlarmEvaluator? own, DeviceAddress address, long timestampMs, IReadOnlyList<MetricSample> metrics)
    {
        var evaluator = own ?? (_idle.TryPeek(out var spare) ? spare : Lend());
        var events = evaluator.Evaluate(address, timestampMs, metrics);
        if (evaluator.IsIdle)
        {
            // Idle is the state of a new evaluator: it can serve the next device as it is.
            if (own is not null && _idle.Count < Kept)
            {
                _idle.Push(own);
            }

            return (events, null);
        }

        if (own is null)
        {
            _idle.Pop();
        }

        return (events, evaluator);
    }

    private AlarmEvaluator Lend()
    {
        var evaluator = new AlarmEvaluator(options, zone);
        _idle.Push(evaluator);
        return evaluator;
    }
}
