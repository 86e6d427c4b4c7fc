using System.Runtime.InteropServices;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.State;

namespace CitySense.Grains.Domain.History;

/// <summary>
/// What an area folded into its history since its last push: figures per kind and local hour, and for a community each
/// meter's consumption per local day. Fed as the area applies readings (by event time, so a late reading lands in its
/// own hour), moved to storage by <see cref="HistoryArchive"/>. Pure logic.
/// </summary>
public sealed class PendingHistory(LocalCalendar calendar, NightWindow night)
{
    private readonly Dictionary<(string Kind, long HourMs), HistoryFigures> _hours = [];
    // Each meter's measured consumption per local day; the estimated part (VEE gaps) apart, where few meters have one:
    // 40 bytes a meter-day instead of 56 with both in one value (16 MB at a million meters, benchmarks/RESULTS.md §57).
    // A day with only estimated consumption is in both, measured 0.
    private readonly Dictionary<(string Device, int Day), decimal> _meters = [];
    private readonly Dictionary<(string Device, int Day), decimal> _estimated = [];
    // The figures last touched: readings of one batch mostly share kind and hour.
    private string? _lastKind;
    private long _lastHourMs;
    private HistoryFigures? _last;

    public LocalCalendar Calendar => calendar;

    /// <summary>The sequence number the next push carries (see <see cref="HistoryRecord.AppliedSequence"/>).</summary>
    public long Sequence { get; private set; } = 1;

    /// <summary>Local hours before this have had their expected readings added.</summary>
    public long ExpectedThroughMs { get; set; }

    /// <summary>Retention: the newest local day (<see cref="DateOnly.DayNumber"/>) whose hours record was pruned; 0 before the first push.</summary>
    public int PrunedThroughDay { get; set; }

    /// <summary>Retention: the newest month (<see cref="LocalCalendar.MonthKey"/>) whose record was pruned.</summary>
    public int PrunedThroughMonth { get; set; }

    public int PrunedThroughMeters { get; set; }

    public bool IsEmpty => _hours.Count == 0 && _meters.Count == 0;

    public IReadOnlyDictionary<(string Kind, long HourMs), HistoryFigures> Hours => _hours;

    /// <summary>Each meter's consumption per local day, measured and estimated.</summary>
    public IEnumerable<KeyValuePair<(string Device, int Day), (decimal Measured, decimal Estimated)>> Meters =>
        _meters.Select(m => KeyValuePair.Create(m.Key, (m.Value, _estimated.Count == 0 ? 0 : _estimated.GetValueOrDefault(m.Key))));

    /// <summary>An accepted reading (neither duplicate nor late), at its event time.</summary>
    public void Reading(string kind, long eventMs, decimal consumption, bool estimated, bool timely)
    {
        var figures = At(kind, eventMs);
        figures.Accepted++;
        if (timely)
        {
            figures.Timely++;
        }

        AddConsumption(figures, consumption, estimated);
    }

    /// <summary>Consumption moved into the hour of <paramref name="atMs"/> (a correction, a reconciliation, an estimate).</summary>
    public void Consumption(string kind, long atMs, decimal consumption, bool estimated)
    {
        if (consumption != 0)
        {
            AddConsumption(At(kind, atMs), consumption, estimated);
        }
    }

    /// <summary>A reading closed a reporting gap (estimated or, beyond Vee:MaxGap, not).</summary>
    public void Gap(string kind, long eventMs, bool estimated)
    {
        var figures = At(kind, eventMs);
        if (estimated)
        {
            figures.GapsEstimated++;
        }
        else
        {
            figures.GapsNotEstimated++;
        }
    }

    public void Suspect(string kind, long eventMs) => At(kind, eventMs).Suspects++;

    public void Rejected(string kind, long atMs, long count) => At(kind, atMs).Rejected += count;

    public void Duplicate(string kind, long atMs) => At(kind, atMs).Duplicates++;

    public void Late(string kind, long atMs) => At(kind, atMs).Late++;

    /// <summary>The area's sum of latest flows after a flow reading at <paramref name="eventMs"/>.</summary>
    public void Flow(string kind, long eventMs, double flowSum) =>
        At(kind, eventMs).SampleFlow(flowSum, kind == Kinds.Water && calendar.InLocalWindow(eventMs, night.Start, night.End));

    public void Expected(string kind, long hourMs, double readings)
    {
        if (readings > 0)
        {
            At(kind, hourMs).Expected += readings;
        }
    }

    /// <summary>
    /// Adds each local hour that ended since the last call its expected readings, from the devices as the area counts
    /// them now (<see cref="DeviceCounts.ExpectedPerHour"/>); at most <paramref name="kept"/> back, after a long stop.
    /// The first call only marks where counting starts.
    /// </summary>
    public void ExpectThrough(long nowMs, IReadOnlyList<DeviceCounts> devices, TimeSpan kept)
    {
        var currentHour = calendar.HourStart(nowMs);
        var from = ExpectedThroughMs;
        if (from == 0 || from >= currentHour)
        {
            ExpectedThroughMs = Math.Max(from, currentHour);
            return;
        }

        from = Math.Max(from, currentHour - (long)kept.TotalMilliseconds);
        for (var hour = calendar.HourStart(from); hour < currentHour; hour = calendar.HourStart(hour + LocalCalendar.HourMs))
        {
            foreach (var counts in devices)
            {
                Expected(counts.Kind, hour, counts.ExpectedPerHour);
            }
        }

        ExpectedThroughMs = currentHour;
    }

    /// <summary>A meter's consumption in the local day of <paramref name="atMs"/>.</summary>
    public void Meter(string device, long atMs, decimal consumption, bool estimated)
    {
        if (consumption == 0)
        {
            return;
        }

        // One lookup, not two: this runs for every reading of a community.
        var key = (device, calendar.Day(atMs).DayNumber);
        ref var measured = ref CollectionsMarshal.GetValueRefOrAddDefault(_meters, key, out _);
        if (estimated)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_estimated, key, out _) += consumption;
        }
        else
        {
            measured += consumption;
        }
    }

    /// <summary>Everything folded so far was stored under <see cref="Sequence"/>: start afresh with the next number.</summary>
    public void Pushed()
    {
        _hours.Clear();
        _meters.Clear();
        _estimated.Clear();
        _last = null;
        _lastKind = null;
        Sequence++;
    }

    public PendingHistoryState ToState() => new()
    {
        Sequence = Sequence,
        ExpectedThroughMs = ExpectedThroughMs,
        PrunedThroughDay = PrunedThroughDay,
        PrunedThroughMonth = PrunedThroughMonth,
        PrunedThroughMeters = PrunedThroughMeters,
        Hours = _hours.Select(h => new HistoryBucket { Kind = h.Key.Kind, StartMs = h.Key.HourMs, Figures = h.Value.Copy() }).ToArray(),
        Meters = Meters.Select(m => new MeterDayState(m.Key.Device, m.Key.Day, m.Value.Measured, m.Value.Estimated)).ToArray(),
    };

    public void Restore(PendingHistoryState? state)
    {
        _hours.Clear();
        _meters.Clear();
        _estimated.Clear();
        _last = null;
        _lastKind = null;
        if (state is null)
        {
            return;
        }

        Sequence = state.Sequence;
        ExpectedThroughMs = state.ExpectedThroughMs;
        PrunedThroughDay = state.PrunedThroughDay;
        PrunedThroughMonth = state.PrunedThroughMonth;
        PrunedThroughMeters = state.PrunedThroughMeters;
        foreach (var hour in state.Hours)
        {
            _hours[(hour.Kind, hour.StartMs)] = hour.Figures.Copy();
        }

        foreach (var meter in state.Meters)
        {
            _meters[(meter.Device, meter.Day)] = meter.Measured;
            if (meter.Estimated != 0)
            {
                _estimated[(meter.Device, meter.Day)] = meter.Estimated;
            }
        }
    }

    private static void AddConsumption(HistoryFigures figures, decimal consumption, bool estimated)
    {
        if (estimated)
        {
            figures.Estimated += consumption;
        }
        else
        {
            figures.Measured += consumption;
        }
    }

    private HistoryFigures At(string kind, long atMs)
    {
        var hour = calendar.HourStart(atMs);
        if (_last is not null && hour == _lastHourMs && ReferenceEquals(kind, _lastKind))
        {
            return _last;
        }

        if (!_hours.TryGetValue((kind, hour), out var figures))
        {
            figures = new HistoryFigures();
            _hours.Add((kind, hour), figures);
        }

        _last = figures;
        _lastKind = kind;
        _lastHourMs = hour;
        return figures;
    }
}
