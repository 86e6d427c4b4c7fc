using CitySense.Contracts.Alarms;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Domain.Alarms;

/// <summary>
/// The alarm rules of one device, evaluated on its in-order readings (an out-of-order reading is history, not news).
/// Each alarm has a lifecycle: raised once, updated when its severity changes, cleared once, with its start, end,
/// peak (worst value while active) and severity. Pure logic.
/// </summary>
public sealed class AlarmEvaluator(AlarmOptions options, TimeZoneInfo zone)
{
    // Created on a device's first alarm and dropped when its last one clears: most devices have none active, a city has
    // a million of them, and each reading looks its alarm types up (hashing a string per rule while a table is kept,
    // 2 % of a silo's CPU in a profile of the city's shape).
    private static readonly Dictionary<string, ActiveAlarm> NoAlarms = new(StringComparer.Ordinal);
    [ThreadStatic] private static List<AlarmEvent>? t_events;
    private Dictionary<string, ActiveAlarm>? _active;

    // Water leak state.
    private long _flowingSinceMs = long.MinValue;
    private DateOnly? _night;
    private double _nightMinFlow = double.PositiveInfinity;
    private bool _nightLeak;
    private double _judgedNightMinFlow;
    private bool _continuousLeak;

    // Burst baseline: mean flow of normal readings.
    private double _baselineSum;
    private int _baselineCount;

    public IReadOnlyDictionary<string, ActiveAlarm> Active => _active ?? NoAlarms;

    /// <summary>Whether the device keeps a table of active alarms (only while one is active).</summary>
    internal bool KeepsAlarmTable => _active is not null;

    /// <summary>
    /// Nothing to remember: no active alarm and no water state (flow baseline, leak and night watch) — the state of a new
    /// evaluator. An idle evaluator can be lent to the next device (<see cref="AlarmRules"/>): most devices of a city
    /// (every kind but water with flow) are idle between alarms, and a million evaluators of their own were 88 MB.
    /// </summary>
    public bool IsIdle =>
        _active is null && _baselineCount == 0 && _baselineSum == 0 && _flowingSinceMs == long.MinValue && _night is null
        && double.IsPositiveInfinity(_nightMinFlow) && !_nightLeak && _judgedNightMinFlow == 0 && !_continuousLeak;

    // One evaluation runs at a time per thread (a grain turn), and its steps are copied out before it returns.
    private static List<AlarmEvent> Events => t_events ??= [];

    /// <summary>Evaluates a device's newest reading; returns the lifecycle steps it caused (often none).</summary>
    public AlarmEvent[] Evaluate(DeviceAddress address, long timestampMs, IReadOnlyList<MetricSample> metrics)
    {
        Events.Clear();
        switch (address.Kind)
        {
            case Kinds.Water:
                Pressure(address, timestampMs, metrics, options.WaterPressureMin, options.WaterPressureMax);
                WaterFlow(address, timestampMs, metrics);
                break;
            case Kinds.Gas:
                Pressure(address, timestampMs, metrics, options.GasPressureMin, options.GasPressureMax);
                break;
            case Kinds.Heat:
                Heat(address, timestampMs, metrics);
                break;
            case "gasleak":
                if (Get(metrics, "lel") is { } lel)
                {
                    Level(address, AlarmTypes.GasLeak, timestampMs, lel, lel >= options.GasLeakCritical ? AlarmSeverity.Critical : lel >= options.GasLeakWarning ? AlarmSeverity.Warning : null, higherIsWorse: true, "lel");
                }

                break;
            case "smoke":
                if (Get(metrics, "smoke") is { } smoke)
                {
                    Level(address, AlarmTypes.Smoke, timestampMs, smoke, smoke >= 1 ? AlarmSeverity.Critical : null, higherIsWorse: true, "smoke");
                }

                break;
            case "manhole":
                if (Get(metrics, "open") is { } open)
                {
                    Level(address, AlarmTypes.ManholeOpen, timestampMs, open, open >= 1 ? AlarmSeverity.Warning : null, higherIsWorse: true, "open");
                }

                break;
        }

        return Events.Count == 0 ? [] : Events.ToArray();
    }

    private void Pressure(DeviceAddress address, long ts, IReadOnlyList<MetricSample> metrics, double min, double max)
    {
        if (Get(metrics, "pressure") is not { } pressure)
        {
            return;
        }

        Level(address, AlarmTypes.PressureLow, ts, pressure, pressure < min ? AlarmSeverity.Warning : null, higherIsWorse: false, "pressure");
        Level(address, AlarmTypes.PressureHigh, ts, pressure, pressure > max ? AlarmSeverity.Warning : null, higherIsWorse: true, "pressure");
    }

    private void Heat(DeviceAddress address, long ts, IReadOnlyList<MetricSample> metrics)
    {
        if (Get(metrics, "returnTemp") is { } back)
        {
            Level(address, AlarmTypes.HighReturnTemp, ts, back, back > options.HeatMaxReturnTemp ? AlarmSeverity.Warning : null, higherIsWorse: true, "returnTemp");
            // Delta-T says something only while water circulates.
            if (Get(metrics, "supplyTemp") is { } supply && (Get(metrics, Kinds.FlowMetric) ?? 1) > 0)
            {
                var deltaT = supply - back;
                Level(address, AlarmTypes.LowDeltaT, ts, deltaT, deltaT < options.HeatMinDeltaT ? AlarmSeverity.Warning : null, higherIsWorse: false, "deltaT");
            }
        }
    }

    private void WaterFlow(DeviceAddress address, long ts, IReadOnlyList<MetricSample> metrics)
    {
        if (Get(metrics, Kinds.FlowMetric) is not { } flow)
        {
            return;
        }

        // Burst: against the device's own baseline, once it has one.
        var baseline = _baselineCount >= options.BurstBaselineReadings ? _baselineSum / _baselineCount : (double?)null;
        var burst = baseline is { } b && flow > Math.Max(options.BurstFactor * b, options.BurstMinFlow);
        Level(address, AlarmTypes.Burst, ts, flow, burst ? AlarmSeverity.Critical : null, higherIsWorse: true, "flow");
        if (!burst)
        {
            _baselineSum += flow;
            _baselineCount++;
        }

        // Leak, first trigger: flow on every reading for the configured time.
        _flowingSinceMs = flow > 0 ? (_flowingSinceMs == long.MinValue ? ts : _flowingSinceMs) : long.MinValue;
        _continuousLeak = _flowingSinceMs != long.MinValue && ts - _flowingSinceMs >= (long)options.ContinuousFlow.TotalMilliseconds;

        // Leak, second trigger: the minimum flow of the night window, judged when the window is over.
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ts), zone);
        var night = DateOnly.FromDateTime(local.DateTime);
        var timeOfDay = local.TimeOfDay;
        if (_night is { } watched && (night != watched || timeOfDay >= options.NightEnd))
        {
            _nightLeak = _nightMinFlow > options.NightFlowThreshold;
            _judgedNightMinFlow = _nightMinFlow;
            _night = null;
            _nightMinFlow = double.PositiveInfinity;
        }

        if (timeOfDay >= options.NightStart && timeOfDay < options.NightEnd)
        {
            _night = night;
            _nightMinFlow = Math.Min(_nightMinFlow, flow);
        }

        var value = _nightLeak && !_continuousLeak ? _judgedNightMinFlow : flow;
        Level(address, AlarmTypes.Leak, ts, value, _continuousLeak || _nightLeak ? AlarmSeverity.Warning : null, higherIsWorse: true, "flow",
            _nightLeak ? "minimum night flow above the threshold" : "continuous flow");
    }

    private void Level(DeviceAddress address, string type, long ts, double value, AlarmSeverity? severity, bool higherIsWorse, string metric, string? why = null)
    {
        ActiveAlarm? active = null;
        _active?.TryGetValue(type, out active);
        if (severity is { } s)
        {
            if (active is null)
            {
                active = new ActiveAlarm(ts, s, value);
                (_active ??= new(StringComparer.Ordinal))[type] = active;
                Emit(address, type, AlarmState.Raised, active, ts, value, null, why ?? $"{metric} = {value}");
                return;
            }

            active.Peak = higherIsWorse ? Math.Max(active.Peak, value) : Math.Min(active.Peak, value);
            if (active.Severity != s)
            {
                active.Severity = s;
                Emit(address, type, AlarmState.Updated, active, ts, value, null, $"{metric} = {value}, now {s.ToString().ToLowerInvariant()}");
            }
        }
        else if (active is not null)
        {
            _active!.Remove(type);
            if (_active.Count == 0)
            {
                _active = null;
            }

            Emit(address, type, AlarmState.Cleared, active, ts, value, ts, $"{metric} = {value}, back to normal");
        }
    }

    private void Emit(DeviceAddress address, string type, AlarmState state, ActiveAlarm alarm, long ts, double value, long? endMs, string message) =>
        Events.Add(new AlarmEvent(AlarmTypes.Id(address.Device, type, alarm.StartMs), type, alarm.Severity, state,
            address.District, address.Community, address.Kind, address.Device, alarm.StartMs, endMs, alarm.Peak, value, message));

    private static double? Get(IReadOnlyList<MetricSample> metrics, string name)
    {
        foreach (var metric in metrics)
        {
            if (metric.Name == name)
            {
                return metric.Value;
            }
        }

        return null;
    }
}
