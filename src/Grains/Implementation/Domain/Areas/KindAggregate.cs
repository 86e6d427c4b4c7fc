using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.History;
using CitySense.Grains.State;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// The indicators of one kind in one area (community, district or city). It folds in device updates, which are deltas,
/// so an area never needs to look at its devices again. Each change is also folded into the area's pending history
/// (by event time) when it keeps one.
/// </summary>
public sealed class KindAggregate(string kind, IndicatorOptions options, PendingHistory? history = null)
{
    // Array-backed and sorted: at most WindowsKept windows, mostly appended at the end, and enumerated by index when
    // written (a SortedDictionary enumerator allocates on every write).
    private readonly SortedList<long, WindowAggregate> _windows = new();
    // The window evicted last, kept to become the next new one (WindowAggregate.Reuse says why).
    private WindowAggregate? _spare;
    // The kind's totals per metric. Their names are the kind's, shared by its windows (each an array of accumulators by
    // slot, WindowMetrics).
    private WindowMetrics _metrics = new(new MetricNames());
    private readonly string? _register = Kinds.RegisterMetric(kind);
    private double _flowSum;
    private bool _hasFlow;
    // Windows at or before this start were written and evicted: a reading for them is counted in the totals only,
    // since re-creating the window from zero would overwrite its complete point with a partial one.
    private long _evictedThrough = long.MinValue;
    private readonly long _timelyWithinMs = (long)options.TimelyWithin.TotalMilliseconds;

    public string Kind { get; } = kind;
    public decimal Consumption { get; private set; }
    public long DevicesReporting { get; private set; }
    public long Accepted { get; private set; }
    public long Rejected { get; private set; }

    /// <summary>Accepted readings whose window had already been evicted from memory: in the totals, not in any window.</summary>
    public long LateBeyondWindows { get; private set; }

    public bool HasRegister => _register is not null;
    public double? FlowSum => _hasFlow ? _flowSum : null;

    public IList<WindowAggregate> Windows => _windows.Values;

    public long Duplicates { get; private set; }

    /// <summary>Readings older than their device's newest by more than the allowed lateness.</summary>
    public long Late { get; private set; }

    public void Apply(in DeviceUpdate update, ReadOnlySpan<MetricSample> metrics)
    {
        if (update.IsRelease)
        {
            // An operator accepted a held reading: its step lands in its own window now; the reading itself was counted
            // when it arrived.
            ApplyCorrections(update);
            return;
        }

        if ((update.Flags & DeviceUpdateFlags.Duplicate) != 0)
        {
            // Counted once, in the window of its arrival (a duplicate adds nothing to its event-time window).
            Duplicates++;
            history?.Duplicate(Kind, update.ReceivedAtMs);
            if (ArrivalWindow(update) is { } w)
            {
                w.Duplicates++;
                Touch(w);
            }

            return;
        }

        if ((update.Flags & DeviceUpdateFlags.Late) != 0)
        {
            Late++;
            history?.Late(Kind, update.ReceivedAtMs);
            if (ArrivalWindow(update) is { } w)
            {
                w.Late++;
                Touch(w);
            }

            return;
        }

        ApplyCorrections(update);

        Consumption += update.ConsumptionDelta;
        Accepted++;
        history?.Reading(Kind, update.TimestampMs, update.ConsumptionDelta, (update.Flags & DeviceUpdateFlags.Estimated) != 0,
            update.ReceivedAtMs - update.TimestampMs <= _timelyWithinMs);
        if (update.Suspect is { IsConfirmation: false })
        {
            history?.Suspect(Kind, update.TimestampMs);
        }

        if ((update.Flags & (DeviceUpdateFlags.Estimated | DeviceUpdateFlags.GapNotEstimated)) != 0)
        {
            history?.Gap(Kind, update.TimestampMs, (update.Flags & DeviceUpdateFlags.Estimated) != 0);
        }
        if ((update.Flags & DeviceUpdateFlags.FirstSeen) != 0)
        {
            DevicesReporting++;
        }

        if ((update.Flags & DeviceUpdateFlags.Latest) != 0)
        {
            foreach (var metric in metrics)
            {
                if (ReferenceEquals(metric.Name, Kinds.FlowMetric) || metric.Name == Kinds.FlowMetric)
                {
                    _flowSum += update.FlowDelta;
                    _hasFlow = true;
                    history?.Flow(Kind, update.TimestampMs, _flowSum);
                    break;
                }
            }
        }

        if (update.WindowStartMs <= _evictedThrough)
        {
            LateBeyondWindows++;
            return;
        }

        var window = Window(update.WindowStartMs);
        window.Consumption += update.ConsumptionDelta;
        window.Accepted++;
        window.Lags.Add(update.ReceivedAtMs - update.TimestampMs, _timelyWithinMs);
        if ((update.Flags & DeviceUpdateFlags.FirstInWindow) != 0)
        {
            window.DevicesReporting++;
        }

        foreach (var metric in metrics)
        {
            if (_register is not null && metric.Name == _register)
            {
                // A cumulative register's min/max/mean says nothing; its deltas are the consumption.
                continue;
            }

            window.Metrics.GetOrAdd(metric.Name).Add(metric.Value, update.TimestampMs);
            _metrics.GetOrAdd(metric.Name).Add(metric.Value, update.TimestampMs);
        }

        Touch(window);
    }

    private void ApplyCorrections(in DeviceUpdate update)
    {
        foreach (var correction in update.Corrections)
        {
            Consumption += correction.ConsumptionDelta;
            history?.Consumption(Kind, correction.WindowStartMs, correction.ConsumptionDelta, correction.Estimated);
            if (correction.WindowStartMs > _evictedThrough)
            {
                var corrected = Window(correction.WindowStartMs);
                corrected.Consumption += correction.ConsumptionDelta;
                Touch(corrected);
            }
        }
    }

    public void AdjustFlow(double delta)
    {
        _flowSum += delta;
    }

    /// <summary>
    /// A correction from the consumption ledger (a batch lost or redelivered across a failure): it changes the totals and
    /// the window the source's batch reached last, which is where the growth was seen.
    /// </summary>
    public void Reconcile(decimal change, long windowStartMs)
    {
        Consumption += change;
        history?.Consumption(Kind, windowStartMs, change, estimated: false);
        if (windowStartMs > _evictedThrough)
        {
            var window = Window(windowStartMs);
            window.Consumption += change;
            Touch(window);
        }
    }

    /// <summary>
    /// The state to store: totals, and the windows that can still change (newer than <paramref name="storeFromMs"/>) or
    /// are not written yet. Older windows are written and final; after a restore they count as evicted.
    /// </summary>
    public KindState ToState(long storeFromMs)
    {
        var stored = new List<WindowAggregate>(_windows.Count);
        var evicted = _evictedThrough;
        foreach (var w in _windows.Values)
        {
            if (w.Dirty || w.StartMs >= storeFromMs)
            {
                stored.Add(w);
            }
            else
            {
                evicted = Math.Max(evicted, w.StartMs);
            }
        }

        return new KindState(Kind, Consumption, DevicesReporting, Accepted, Rejected, Duplicates, Late, LateBeyondWindows, _flowSum, _hasFlow,
            evicted,
            _metrics.Select(m => m.Value.ToState(m.Key)).ToArray(),
            stored.Select(w => new WindowState(w.StartMs, w.Consumption, w.Accepted, w.Rejected, w.Duplicates, w.Late, w.DevicesReporting,
                w.ConsumptionTotal, w.FlowSum, w.DevicesTotal, w.Metrics.Select(m => m.Value.ToState(m.Key)).ToArray(), w.Lags.CountsCopy(), w.Lags.Timely, w.Dirty)).ToArray());
    }

    public static KindAggregate FromState(KindState s, IndicatorOptions options, PendingHistory? history = null)
    {
        var kind = new KindAggregate(s.Kind, options, history)
        {
            Consumption = s.Consumption,
            DevicesReporting = s.DevicesReporting,
            Accepted = s.Accepted,
            Rejected = s.Rejected,
            Duplicates = s.Duplicates,
            Late = s.Late,
            LateBeyondWindows = s.LateBeyondWindows,
            _flowSum = s.FlowSum,
            _hasFlow = s.HasFlow,
            _evictedThrough = s.EvictedThroughMs,
        };
        foreach (var m in s.Metrics)
        {
            kind._metrics.GetOrAdd(m.Name) = MetricAccumulator.FromState(m);
        }

        foreach (var w in s.Windows)
        {
            var window = new WindowAggregate(w.StartMs, kind._metrics.Names)
            {
                Consumption = w.Consumption,
                Accepted = w.Accepted,
                Rejected = w.Rejected,
                Duplicates = w.Duplicates,
                Late = w.Late,
                DevicesReporting = w.DevicesReporting,
                ConsumptionTotal = w.ConsumptionTotal,
                FlowSum = w.FlowSum,
                DevicesTotal = w.DevicesTotal,
                Dirty = w.Dirty,
            };
            foreach (var m in w.Metrics)
            {
                window.Metrics.GetOrAdd(m.Name) = MetricAccumulator.FromState(m);
            }

            window.Lags.Restore(w.LagCounts, w.LagTimely);
            kind._windows[w.StartMs] = window;
        }

        return kind;
    }

    public void Reject(long windowStartMs, int count)
    {
        Rejected += count;
        history?.Rejected(Kind, windowStartMs, count);
        if (windowStartMs <= _evictedThrough)
        {
            return;
        }

        var window = Window(windowStartMs);
        window.Rejected += count;
        Touch(window);
    }

    private WindowAggregate? ArrivalWindow(in DeviceUpdate update)
    {
        var start = options.WindowStart(update.ReceivedAtMs);
        return start > _evictedThrough ? Window(start) : null;
    }

    /// <summary>A window that changed carries the area's running totals as of now, and is written at the next flush.</summary>
    private void Touch(WindowAggregate window)
    {
        window.ConsumptionTotal = Consumption;
        window.FlowSum = FlowSum;
        window.DevicesTotal = DevicesReporting;
        window.Dirty = true;
    }

    /// <summary>Drops the oldest windows beyond the kept count, but never one not yet written.</summary>
    public void Trim()
    {
        while (_windows.Count > options.WindowsKept)
        {
            var oldest = _windows.Values[0];
            if (oldest.Dirty)
            {
                return;
            }

            _windows.RemoveAt(0);
            _evictedThrough = Math.Max(_evictedThrough, oldest.StartMs);
            _spare = oldest;
        }
    }

    public KindSnapshot ToSnapshot(int windows)
    {
        var windowMs = options.WindowMs;
        var recent = _windows.Values.Reverse().Take(windows).Select(w => new WindowSnapshot(
            w.StartMs,
            w.StartMs + windowMs,
            w.Consumption,
            w.Accepted,
            w.Rejected,
            w.DevicesReporting,
            w.Metrics.Select(m => m.Value.ToStats(m.Key)).ToArray())
        {
            Duplicates = w.Duplicates,
            Late = w.Late,
        }).ToArray();
        return new KindSnapshot(
            Kind,
            HasRegister ? Consumption : null,
            FlowSum,
            DevicesReporting,
            Accepted,
            Rejected,
            _metrics.Select(m => m.Value.ToStats(m.Key)).ToArray(),
            recent)
        {
            Duplicates = Duplicates,
            Late = Late,
            LateBeyondWindows = LateBeyondWindows,
        };
    }

    private WindowAggregate Window(long startMs)
    {
        if (!_windows.TryGetValue(startMs, out var window))
        {
            if (_spare is { } spare)
            {
                _spare = null;
                spare.Reuse(startMs);
                window = spare;
            }
            else
            {
                window = new WindowAggregate(startMs, _metrics.Names);
            }

            _windows.Add(startMs, window);
        }

        return window;
    }
}
