using CitySense.Contracts.Alarms;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Contracts.Vee;
using CitySense.Grains.Domain.Alarms;

namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// One device's state and the rules that turn its readings into deltas for its areas: duplicates counted once, late
/// readings kept out of windows, register consumption per <see cref="RegisterTrack"/>, the device's latest flow.
/// Pure logic: the device grain wraps it.
/// </summary>
public sealed class DeviceState(DeviceRules rules)
{
    private const long HourMs = 3_600_000;

    private static readonly string DeltaT = "deltaT";

    /// <summary>Largest register value accepted (a thousand times the default register maximum).</summary>
    public const double MaxRegister = 1e11;

    // The windows this device reported into among the 128 up to its newest one, to tell its first reading in a window:
    // bit i is window number _newestWindow - i. A reading for a window older than that may or may not be the first there:
    // it is not flagged, so a device is never counted twice. Exact for any lateness up to 127 windows (the default is 5).
    // 24 bytes; the 16 window numbers kept before were 76 and covered 16 windows.
    private UInt128 _windowBits;
    private long _newestWindow;
    // Inline (a struct): its own object was a header and a reference more per device.
    private RecentReadings _recent;
    // Set on first use: counts and fields most devices never need (DeviceRareState).
    private DeviceRareState? _rare;
    // Null unless the device has alarm state to remember; AlarmRules lends an idle evaluator otherwise.
    private AlarmEvaluator? _alarms;
    // Scratch for one Apply (a grain turn runs on one thread and copies the corrections out before it returns): a list
    // per device would cost a million devices 32 MB for something a few of them ever use.
    [ThreadStatic] private static List<(long TimestampMs, decimal Change)>? t_corrections;
    private RegisterTrack? _register;
    // The latest flow, when one was reported (a flag, not a nullable: 8 bytes less a device).
    private double _lastFlow;
    private bool _hasFlow;
    private bool _newPlace;
    private bool _hasLastSeq;
    private ulong _lastSeq;
    // After a restore from a checkpoint: readings at or before this event time were counted before the failure (or are
    // too old to tell apart from ones that were), so they count as duplicates. Registers are cumulative, so nothing of
    // their consumption is lost: the next newer reading is measured from the checkpoint's baseline. Here, not in the
    // rare state: a shard that moves to its owner or outlives a silo restores every device it holds.
    private long _restoredThroughMs = long.MinValue;
    // The meter's usual consumption per hour (an exponentially weighted mean of its steps' rates) and how many steps
    // taught it: what a suspect step is measured against.
    private double _usualPerHour;

    private int _usualSteps;
    // The newest reading's metrics: names in an array shared by the devices that report the same names, values in the
    // device's own array (KeepLatest).
    private string[] _latestNames = [];
    private double[] _latestValues = [];

    public DeviceAddress? Address { get; private set; }
    public long FirstSeenMs { get; private set; }
    public long LastTimestampMs { get; private set; } = long.MinValue;
    public ulong? LastSeq => _hasLastSeq ? _lastSeq : null;
    public long Accepted { get; private set; }
    public long Rejected => _rare?.Rejected ?? 0;
    public long Duplicates => _rare?.Duplicates ?? 0;
    public long Late => _rare?.Late ?? 0;
    public decimal Consumption { get; private set; }

    /// <summary>The newest reading's metrics (a new array on each read: kept as names and values, see <see cref="KeepLatest"/>).</summary>
    public MetricSample[] Latest
    {
        get
        {
            var latest = new MetricSample[_latestValues.Length];
            for (var i = 0; i < latest.Length; i++)
            {
                latest[i] = new MetricSample(_latestNames[i], _latestValues[i]);
            }

            return latest;
        }
    }
    public decimal? RegisterMax => _rare?.RegisterMax;

    public double? Register => _register?.Value is { } value ? (double)value : null;

    public bool Decommissioned { get; private set; }

    public long GapsEstimated => _rare?.GapsEstimated ?? 0;

    public long GapsNotEstimated => _rare?.GapsNotEstimated ?? 0;

    /// <summary>The names of <see cref="Latest"/>, shared with the devices that report the same ones.</summary>
    internal string[] LatestNames => _latestNames;

    /// <summary>Whether the device keeps an alarm evaluator of its own (only while it has alarm state to remember).</summary>
    internal bool KeepsAlarmState => _alarms is not null;

    private DeviceRareState Rare => _rare ??= new DeviceRareState();

    /// <summary>
    /// The newest reading held as suspect, until the next register reading tells a misread (back at the old level) from a
    /// real level (continuing from the held reading: a reset after a fall, a real jump after a spike). Kept in memory
    /// only: after a reactivation the next such reading is held once more.
    /// </summary>
    private SuspectReading? Held => _rare?.Held;

    private decimal ConsumptionAtPlace => _rare?.ConsumptionAtPlace ?? 0;

    private double? LastFlow => _hasFlow ? _lastFlow : null;

    /// <summary>The registry placed the device (provisioned or restored): readings must come from there.</summary>
    public void PlaceAt(DeviceAddress address) => Address = address;

    /// <summary>
    /// The device moved: its next reading counts it as a device of the new place (first seen there) and brings its whole
    /// flow there. Returns the flow the old place must give back.
    /// </summary>
    public double MoveTo(DeviceAddress address)
    {
        Address = address;
        _newPlace = FirstSeenMs != 0;
        Rare.ConsumptionAtPlace = Consumption;
        return ForgetFlow();
    }

    /// <summary>The device leaves service; returns the flow its area must give back.</summary>
    public double Decommission()
    {
        Decommissioned = true;
        return ForgetFlow();
    }

    /// <summary>The latest flow (0 when none), forgotten.</summary>
    private double ForgetFlow()
    {
        var flow = LastFlow ?? 0;
        _lastFlow = 0;
        _hasFlow = false;
        return flow;
    }

    /// <summary>Nothing applied yet in this activation: a checkpoint may be restored.</summary>
    public bool IsFresh => FirstSeenMs == 0 && Accepted == 0 && Rejected == 0;

    /// <summary>Continues from what the device's community last counted (the grain's silo died and its memory with it).</summary>
    public void Restore(DeviceCheckpoint checkpoint)
    {
        FirstSeenMs = checkpoint.FirstSeenMs;
        Consumption = checkpoint.Cumulative;
        // The areas' flow sums hold this device's last flow: its next flow changes them by the difference only.
        _hasFlow = checkpoint.LastFlow is not null;
        _lastFlow = checkpoint.LastFlow ?? 0;
        // The checkpoint comes from the community the device is in: that community already knows it.
        if (_rare is not null)
        {
            _rare.ConsumptionAtPlace = 0;
        }

        LastTimestampMs = checkpoint.NewestMs;
        _restoredThroughMs = checkpoint.NewestMs;
        if (checkpoint.Register is { } baseline)
        {
            Track().Seed(checkpoint.NewestMs, baseline);
        }
    }

    /// <summary>The operator recorded a meter replacement: the next reading starts a new baseline.</summary>
    public void RecordReplacement() => Track().RecordReplacement();

    public void SetRegisterMax(decimal? max)
    {
        if (max is not null || _rare is not null)
        {
            Rare.RegisterMax = max;
        }

        if (_register is not null)
        {
            _register.Max = max ?? rules.Registers.DefaultMax;
        }
    }

    public DeviceUpdate Apply(DeviceAddress address, in DeviceReading reading)
    {
        var options = rules.Indicators;
        var windowStart = options.WindowStart(reading.TimestampMs);
        var registerName = Kinds.RegisterMetric(address.Kind);
        var refusal = Decommissioned ? RejectionReason.DeviceDecommissioned
            : Address is not null && !Address.SamePlaceAs(address) ? RejectionReason.DeviceRegisteredElsewhere
            // No meter shows this; it must not reach decimal arithmetic (beyond ±7.9e28 it would throw). Checked before
            // anything is recorded, so a corrected resend with the same ts is not taken for a duplicate.
            : registerName is not null && TryGet(reading.Metrics, registerName, out var raw) && raw is < 0 or > MaxRegister ? RejectionReason.RegisterOutOfRange
            : RejectionReason.None;
        if (refusal != RejectionReason.None)
        {
            Rare.Rejected++;
            return new DeviceUpdate(address.Device, address.Kind, reading.TimestampMs, windowStart, 0, 0, DeviceUpdateFlags.None, [], refusal)
            {
                ReceivedAtMs = reading.ReceivedAtMs,
            };
        }

        var flags = DeviceUpdateFlags.None;
        // First reading: the device registers itself to the community and district of its topic (unless provisioned).
        Address ??= address;
        if (FirstSeenMs == 0 || _newPlace)
        {
            FirstSeenMs = FirstSeenMs == 0 ? reading.ReceivedAtMs : FirstSeenMs;
            _newPlace = false;
            flags |= DeviceUpdateFlags.FirstSeen;
        }

        if (reading.TimestampMs <= _restoredThroughMs || _recent.Contains(reading.TimestampMs, reading.Seq, reading.HasSeq))
        {
            Rare.Duplicates++;
            return Outcome(address, reading, windowStart, flags | DeviceUpdateFlags.Duplicate, 0, 0, []);
        }

        _recent.Add(reading.TimestampMs, reading.Seq, reading.HasSeq, newest: reading.TimestampMs >= LastTimestampMs);
        var lateness = (long)options.AllowedLateness.TotalMilliseconds;
        if ((LastTimestampMs != long.MinValue && reading.TimestampMs < LastTimestampMs - lateness)
            || (registerName is not null && _register is not null && !_register.CanPlace(reading.TimestampMs) && TryGet(reading.Metrics, registerName, out _)))
        {
            // Too late for its window. Newer readings already measured the register past it, so the baseline is right.
            Rare.Late++;
            return Outcome(address, reading, windowStart, flags | DeviceUpdateFlags.Late, 0, 0, []);
        }

        if (IsFirstInWindow(windowStart))
        {
            flags |= DeviceUpdateFlags.FirstInWindow;
        }

        decimal delta = 0;
        var corrections = Array.Empty<WindowCorrection>();
        SuspectReading? held = null;
        // Converted once: decimal from double is a noticeable share of a reading's cost.
        var register = registerName is not null && TryGet(reading.Metrics, registerName, out var value) ? (decimal?)(decimal)value : null;
        // A confirmation of an earlier held reading's level comes back as a held record: this reading itself is measured.
        if (register is { } registerValue && (held = Suspect(address, reading, registerValue)) is null or { IsConfirmation: true })
        {
            var scratch = t_corrections ??= [];
            scratch.Clear();
            // Registers report litres (3 decimals); decimal keeps deltas exact where doubles would leave 0.0029999999997.
            var previousMs = _register?.NewestTimestampMs ?? long.MinValue;
            delta = Track().Add(reading.TimestampMs, registerValue, lateness, scratch);
            if (scratch.Count > 0)
            {
                // rules, not the local: a lambda over a local makes its closure on every call, this one only when it runs.
                corrections = scratch.Select(c => new WindowCorrection(rules.Indicators.WindowStart(c.TimestampMs), c.Change)).ToArray();
            }
            else if (rules.Vee is { } vee && delta > 0 && previousMs != long.MinValue && reading.TimestampMs - previousMs > vee.MinGap.TotalMilliseconds)
            {
                if (reading.TimestampMs - previousMs <= vee.MaxGap.TotalMilliseconds)
                {
                    (delta, corrections) = Spread(previousMs, reading.TimestampMs, delta);
                    flags |= DeviceUpdateFlags.Estimated;
                    Rare.GapsEstimated++;
                }
                else
                {
                    flags |= DeviceUpdateFlags.GapNotEstimated;
                    Rare.GapsNotEstimated++;
                }
            }

            Consumption += delta + corrections.Sum(c => c.ConsumptionDelta);
            if (scratch.Count == 0 && previousMs != long.MinValue && reading.TimestampMs > previousMs)
            {
                Learn(delta + corrections.Sum(c => c.ConsumptionDelta), reading.TimestampMs - previousMs);
            }
        }

        double flowDelta = 0;
        var raised = Array.Empty<AlarmEvent>();
        if (reading.TimestampMs >= LastTimestampMs)
        {
            flags |= DeviceUpdateFlags.Latest;
            LastTimestampMs = reading.TimestampMs;
            _hasLastSeq = reading.HasSeq;
            _lastSeq = reading.HasSeq ? reading.Seq : 0;
            KeepLatest(reading.Metrics);
            if (TryGet(reading.Metrics, Kinds.FlowMetric, out var flow))
            {
                flowDelta = flow - (LastFlow ?? 0);
                _lastFlow = flow;
                _hasFlow = true;
            }

            if (rules.Alarms is { } alarms)
            {
                (raised, _alarms) = alarms.Evaluate(_alarms, address, reading.TimestampMs, reading.Metrics);
            }
        }

        Accepted++;
        return Outcome(address, reading, windowStart, flags, delta, flowDelta, corrections) with { Alarms = raised, Suspect = held };
    }

    /// <summary>
    /// Null for a plausible register reading; else the suspect it is, held out of the totals: the register is not moved,
    /// so the next reading is measured from the last plausible one (docs/history.md). Only a reading newer than every
    /// register reading is checked (an out-of-order one splits a step already measured).
    /// </summary>
    private SuspectReading? Suspect(DeviceAddress address, in DeviceReading reading, decimal value)
    {
        if (rules.Vee is null || _register is not { Baseline: { } baseline } track || track.ReplacementPending || reading.TimestampMs <= track.NewestTimestampMs)
        {
            return null;
        }

        var step = track.Step(baseline, value);
        var rate = RatePerHour(step.Delta, track.NewestTimestampMs, reading.TimestampMs);
        string? reason = null;
        if (step.Kind == RegisterStepKind.NewBaseline && value >= baseline / 2)
        {
            if (Held is { Reason: SuspectReading.ReverseFlow } fall && reading.TimestampMs > fall.TimestampMs && value >= fall.Register)
            {
                // This reading continues from the held fall: the meter was reset or swapped unannounced, not misread.
                return ContinueFrom(fall, track, reading.TimestampMs);
            }

            // A fall beyond jitter that no wrap explains, to more than half the register: a meter running backwards (or a
            // misread), not a new meter starting near zero.
            reason = SuspectReading.ReverseFlow;
        }
        else if (IsSpike(step.Delta, rate))
        {
            if (Held is { Reason: SuspectReading.Spike } spike && reading.TimestampMs > spike.TimestampMs && value >= spike.Register
                && !IsSpike(value - spike.Register, RatePerHour(value - spike.Register, spike.TimestampMs, reading.TimestampMs)))
            {
                // This reading goes on from the held spike at the meter's usual pace: the meter really is at that level
                // (a burst, or a swap to a higher register), not misread.
                return ContinueFrom(spike, track, reading.TimestampMs);
            }

            reason = SuspectReading.Spike;
        }

        var held = reason is null ? null : new SuspectReading(address.Device, address.Kind, reading.TimestampMs, value, baseline,
            reason == SuspectReading.ReverseFlow ? value - baseline : step.Delta, reason, Math.Round(rate, 6), Math.Round(_usualPerHour, 6))
        {
            ReceivedAtMs = reading.ReceivedAtMs,
        };
        if (held is not null || _rare is not null)
        {
            Rare.Held = held;
        }

        return held;
    }

    private static double RatePerHour(decimal delta, long fromMs, long toMs) => (double)delta / ((toMs - fromMs) / (double)HourMs);

    private bool IsSpike(decimal delta, double ratePerHour) =>
        rules.Vee is { SuspectFactor: > 0 } vee && _usualSteps >= vee.SuspectAfterSteps && delta > vee.SuspectMinStep
        && ratePerHour > vee.SuspectFactor * _usualPerHour;

    /// <summary>
    /// A later reading continued from a held one: holding it too would hold the meter's whole future (each reading measured
    /// from the level before the held one), so the register restarts from the held reading. The held reading stays listed
    /// for an operator with its level confirmed; its step counts only if accepted (docs/history.md).
    /// </summary>
    private SuspectReading ContinueFrom(SuspectReading held, RegisterTrack track, long confirmedAtMs)
    {
        track.Seed(held.TimestampMs, held.Register);
        Rare.Held = null;
        return held with { LevelConfirmedAtMs = confirmedAtMs };
    }

    /// <summary>A plausible step over <paramref name="elapsedMs"/> teaches the meter's usual rate.</summary>
    private void Learn(decimal step, long elapsedMs)
    {
        var rate = RatePerHour(step, 0, elapsedMs);
        _usualPerHour = _usualSteps == 0 ? rate : (0.9 * _usualPerHour) + (0.1 * rate);
        _usualSteps = Math.Min(_usualSteps + 1, int.MaxValue - 1);
    }

    /// <summary>
    /// An operator accepted a held reading: its step counts now, as a correction to its own window (a reverse flow is
    /// taken as a new baseline: nothing to count). If a later reading already measured the register past it, its step is
    /// in that reading's consumption and nothing more counts. Returns the update that carries the release to the areas.
    /// </summary>
    public DeviceUpdate Release(DeviceAddress address, SuspectReading suspect)
    {
        decimal step = 0;
        var track = Track();
        if (suspect.LevelConfirmedAtMs is not null)
        {
            // The register restarted from this reading when a later one continued from it: a spike's step was never in
            // any reading's consumption, so it counts now; a reverse flow was a reset and counts nothing.
            step = suspect.Reason == SuspectReading.Spike ? suspect.Step : 0;
            Consumption += step;
        }
        else if (track.NewestTimestampMs <= suspect.TimestampMs)
        {
            if (suspect.Reason != SuspectReading.ReverseFlow && track.Baseline is { } baseline)
            {
                step = track.Step(baseline, suspect.Register).Delta;
                if (track.NewestTimestampMs != long.MinValue && suspect.TimestampMs > track.NewestTimestampMs)
                {
                    Learn(step, suspect.TimestampMs - track.NewestTimestampMs);
                }
            }

            track.Seed(suspect.TimestampMs, suspect.Register);
            Consumption += step;
            if (_rare is not null)
            {
                _rare.Held = null;
            }
        }

        var window = rules.Indicators.WindowStart(suspect.TimestampMs);
        // No metrics: a release carries consumption only, the reading's figures counted when it arrived.
        var release = new DeviceReading(suspect.TimestampMs, 0, false, suspect.ReceivedAtMs, []);
        return Outcome(address, release, window, DeviceUpdateFlags.None, 0, 0, step != 0 ? [new WindowCorrection(window, step)] : [])
            with { Suspect = suspect with { State = SuspectState.Accepted, Counted = step } };
    }

    /// <summary>
    /// A register step over a gap (<paramref name="fromMs"/>, <paramref name="toMs"/>] spread evenly over time, by linear
    /// interpolation of the register: one estimated correction per hour before the reading's own (at the window that
    /// starts the hour's share), and what is left for the reading itself, so the shares add up to the step exactly.
    /// Hours are UTC hours: local hours wherever the city's offset is whole hours.
    /// </summary>
    private (decimal Own, WindowCorrection[] Earlier) Spread(long fromMs, long toMs, decimal step)
    {
        var earlier = new List<WindowCorrection>();
        decimal assigned = 0;
        var chunkStart = fromMs;
        decimal span = toMs - fromMs;
        while (true)
        {
            var chunkEnd = ((chunkStart / HourMs) + 1) * HourMs;
            if (chunkEnd >= toMs)
            {
                break;
            }

            var share = Math.Round(step * (chunkEnd - chunkStart) / span, 6);
            earlier.Add(new WindowCorrection(rules.Indicators.WindowStart(chunkStart), share) { Estimated = true });
            assigned += share;
            chunkStart = chunkEnd;
        }

        return (step - assigned, earlier.ToArray());
    }

    /// <summary>
    /// Copies the newest metrics' values into the device's own array when it has the same names (interned by the decoder,
    /// so mostly the same instances); the names are shared (<see cref="MetricNameSets"/>). Keeping each reading's array
    /// instead left one dead array per reading in gen 2 once the device lived there: 81 bytes a reading, and holes the GC
    /// had to sweep, at a million devices; a (name, value) array of its own was 8 bytes a metric more than the values. The
    /// reading's array itself is never kept: it also rides the reading's update to the community and the live feed.
    /// </summary>
    private void KeepLatest(MetricSample[] metrics)
    {
        if (!MetricNameSets.Match(_latestNames, metrics))
        {
            _latestNames = MetricNameSets.For(metrics);
            if (_latestValues.Length != metrics.Length)
            {
                _latestValues = metrics.Length == 0 ? [] : new double[metrics.Length];
            }
        }

        for (var i = 0; i < metrics.Length; i++)
        {
            _latestValues[i] = metrics[i].Value;
        }
    }

    public DeviceSnapshot? ToSnapshot() => Address is null || FirstSeenMs == 0
        ? null
        : new DeviceSnapshot(Address.Device, Address.District, Address.Community, Address.Kind, FirstSeenMs, LastTimestampMs, LastSeq,
            Accepted, Rejected, Register, Kinds.RegisterMetric(Address.Kind) is null ? null : Consumption, Latest)
        {
            Duplicates = Duplicates,
            Late = Late,
            GapsEstimated = GapsEstimated,
            GapsNotEstimated = GapsNotEstimated,
        };

    private DeviceUpdate Outcome(DeviceAddress address, in DeviceReading reading, long windowStart, DeviceUpdateFlags flags, decimal delta, double flowDelta, WindowCorrection[] corrections) =>
        new(address.Device, address.Kind, reading.TimestampMs, windowStart, delta, flowDelta, flags, WithDerived(address.Kind, reading.Metrics), RejectionReason.None)
        {
            Corrections = corrections,
            ReceivedAtMs = reading.ReceivedAtMs,
            Cumulative = Consumption,
            Register = _register?.Baseline,
            NewestMs = LastTimestampMs,
            FirstSeenMs = FirstSeenMs,
            CumulativeAtPlace = ConsumptionAtPlace,
            CurrentFlow = LastFlow,
        };

    /// <summary>Heat meters: delta-T (supply − return, °C) is aggregated like a reported metric.</summary>
    private static MetricSample[] WithDerived(string kind, MetricSample[] metrics)
    {
        if (kind != Kinds.Heat || !TryGet(metrics, "supplyTemp", out var supply) || !TryGet(metrics, "returnTemp", out var back) || TryGet(metrics, DeltaT, out _))
        {
            return metrics;
        }

        var result = new MetricSample[metrics.Length + 1];
        metrics.CopyTo(result, 0);
        result[^1] = new MetricSample(DeltaT, supply - back);
        return result;
    }

    private RegisterTrack Track() => _register ??= new RegisterTrack(rules.Registers, RegisterMax ?? rules.Registers.DefaultMax);

    private bool IsFirstInWindow(long windowStart)
    {
        var number = windowStart / rules.Indicators.WindowMs;
        if (_windowBits == UInt128.Zero || number > _newestWindow)
        {
            // Window numbers are at most long / 1000 (windows are at least a second), so the difference cannot overflow.
            var ahead = _windowBits == UInt128.Zero ? 128 : number - _newestWindow;
            _windowBits = (ahead >= 128 ? UInt128.Zero : _windowBits << (int)ahead) | UInt128.One;
            _newestWindow = number;
            return true;
        }

        var age = _newestWindow - number;
        if (age >= 128)
        {
            return false;
        }

        var bit = UInt128.One << (int)age;
        if ((_windowBits & bit) != UInt128.Zero)
        {
            return false;
        }

        _windowBits |= bit;
        return true;
    }

    private static bool TryGet(MetricSample[] metrics, string name, out double value)
    {
        foreach (var metric in metrics)
        {
            if (metric.Name == name)
            {
                value = metric.Value;
                return true;
            }
        }

        value = 0;
        return false;
    }
}
