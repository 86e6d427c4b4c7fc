using CitySense.Contracts.Indicators;

namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// A device's cumulative register over its recent readings, turning values into consumption the way a utility audits it:
/// forward movement counts; a wrap at the register maximum counts the wrapped volume; a fall beyond what a wrap explains is
/// a replacement or reset (new baseline: no negative and no giant delta); a small fall is jitter and is ignored (the
/// baseline stays, so it is never subtracted and added again). Readings within the allowed lateness are kept, so an
/// out-of-order reading splits the step it falls into and the consumption moves to the right window.
/// </summary>
public sealed class RegisterTrack(RegisterOptions rules, decimal max)
{
    /// <summary>
    /// Register readings kept for out-of-order arrivals besides the lateness bound: a device reporting every 10 s would
    /// otherwise keep 30 (2 KB) under a 5-minute lateness, and a city has a million devices.
    /// </summary>
    public const int MaxPoints = 8;

    private RegisterPoints _points = new(2);
    // The baseline of the last point dropped from the front: the oldest point kept was measured from it (points keep
    // no consumption), should an out-of-order reading ever need that point's consumption. A point's baseline, so a
    // double that reads back as the same decimal (RegisterPoint): 8 bytes less a meter than a decimal, and the object
    // 72 bytes instead of 80 (6.8 MB at 850 000 meters, benchmarks/RESULTS.md §57).
    private double _droppedBaseline;
    private bool _replacementRecorded;
    private bool _capped;
    private decimal _max = max;

    /// <summary>
    /// The register's maximum, where it rolls over. When it changes, the kept points before the newest go (their
    /// consumption was measured with the old maximum, and points keep none to compare a new measurement with), so a
    /// reading older than the newest then counts as late.
    /// </summary>
    public decimal Max
    {
        get => _max;
        set
        {
            if (value != _max && _points.Count > 1)
            {
                DropOldest(_points.Count - 1);
                _capped = true;
            }

            _max = value;
        }
    }

    /// <summary>An operator recorded a replacement: the next reading is a new baseline, never suspect.</summary>
    public bool ReplacementPending => _replacementRecorded;

    public decimal? Value => _points.Count == 0 ? null : _points[^1].Raw;

    public long NewestTimestampMs => _points.Count == 0 ? long.MinValue : _points[^1].TimestampMs;

    /// <summary>
    /// False for a reading older than every point kept once points were dropped for <see cref="MaxPoints"/>: it cannot
    /// be placed between the readings it fell between, so the device counts it as late (its register moved nothing
    /// that newer readings did not already measure).
    /// </summary>
    public bool CanPlace(long timestampMs) => !_capped || _points.Count == 0 || timestampMs >= _points[0].TimestampMs;

    /// <summary>What the next forward step is measured from (not <see cref="Value"/>: after jitter the two differ).</summary>
    public decimal? Baseline => _points.Count == 0 ? null : BaselineAt(_points.Count - 1);

    /// <summary>Starts from a checkpoint: the next reading is measured from <paramref name="baseline"/>.</summary>
    public void Seed(long timestampMs, decimal baseline)
    {
        _points.Clear();
        // A checkpoint's baseline is a reading's register value, which fits a point; one that does not (edited
        // storage) is taken to its nearest 15 digits rather than failing every batch of the device.
        var seed = RegisterPoint.Fits(baseline) ? baseline : (decimal)(double)baseline;
        _points.Add(new RegisterPoint(timestampMs, seed, forced: true, jittered: false));
    }

    /// <summary>The operator recorded a meter replacement: the next reading is a new baseline whatever its value.</summary>
    public void RecordReplacement() => _replacementRecorded = true;

    /// <summary>
    /// Adds a reading that is neither a duplicate nor late and returns the consumption attributed to it. When it arrived
    /// out of order, the readings after it are measured again from it, and each one whose consumption changed is added
    /// to <paramref name="corrections"/> (event time, change).
    /// </summary>
    public decimal Add(long timestampMs, decimal value, long keepAfterMs, List<(long TimestampMs, decimal Change)> corrections)
    {
        var index = _points.Count;
        while (index > 0 && _points[index - 1].TimestampMs > timestampMs)
        {
            index--;
        }

        RegisterPoint point;
        decimal delta;
        // The newest reading after a recorded replacement is the new meter's first: a new baseline, marked so that a
        // late reading of the old meter (older, inserted before it) never measures it again.
        var replacing = _replacementRecorded && index == _points.Count;
        if (index == 0 || replacing)
        {
            _replacementRecorded &= !replacing;
            point = new RegisterPoint(timestampMs, value, forced: true, jittered: false, replacement: replacing);
            delta = 0;
        }
        else
        {
            var step = Step(BaselineAt(index - 1), value);
            point = new RegisterPoint(timestampMs, value, forced: false, jittered: step.Kind == RegisterStepKind.Jitter);
            delta = step.Delta;
        }

        // The consumption the point after the insert had (measured from the point before the insert, or its own).
        var followingDelta = index < _points.Count ? DeltaOf(index) : 0;
        if (_points.Count == MaxPoints && index > 0)
        {
            // Full: the oldest point goes before the insert rather than after it, so the points never outgrow
            // MaxPoints (the array would double to 16). The insert would make MaxPoints + 1, so it would be dropped
            // below anyway; it counts as capped unless the lateness bound would drop it too.
            var newest = index == _points.Count ? timestampMs : _points[^1].TimestampMs;
            var second = index == 1 ? timestampMs : _points[1].TimestampMs;
            _capped |= second >= newest - keepAfterMs;
            DropOldest(1);
            index--;
        }

        _points.Insert(index, point);

        // Readings after it were measured from the reading before it: measure them again, until nothing changes. A
        // point's baseline follows from the points before it, so the loop carries the old one along (oldBaseline: what
        // the point's baseline was before the insert) to tell what changed.
        var baseline = BaselineAt(index);
        var oldBaseline = index == 0 ? (decimal)_droppedBaseline : BaselineAt(index - 1);
        var before = followingDelta;
        for (var i = index + 1; i < _points.Count; i++)
        {
            var next = _points[i];
            if (next.Replacement)
            {
                // A new meter's first reading: zero consumption and its own baseline whatever came before, so nothing
                // from here on changes.
                break;
            }

            var nextOldBaseline = next.Jittered ? oldBaseline : next.Raw;
            var step = Step(baseline, next.Raw);
            if (step.Delta == before && step.Baseline == nextOldBaseline)
            {
                break;
            }

            // What the point after this one had, measured from this one's baseline before it changes.
            var nextBefore = i + 1 < _points.Count ? DeltaFrom(nextOldBaseline, i + 1) : 0;
            _points[i] = next.Remeasured(step);
            if (step.Delta != before)
            {
                corrections.Add((next.TimestampMs, step.Delta - before));
            }

            oldBaseline = nextOldBaseline;
            baseline = step.Baseline;
            before = nextBefore;
        }

        // Keep what an out-of-order reading could still fall between, and always the newest.
        var cutoff = _points[^1].TimestampMs - keepAfterMs;
        var drop = 0;
        while (drop < _points.Count - 1 && _points[drop + 1].TimestampMs < cutoff)
        {
            drop++;
        }

        if (_points.Count - drop > MaxPoints)
        {
            drop = _points.Count - MaxPoints;
            _capped = true;
        }

        DropOldest(drop);
        // Only after a reading older than every point of a full track that was not capped yet (it was inserted first,
        // then dropped): give the doubled array back.
        _points.TrimCapacity(MaxPoints);

        return delta;
    }

    /// <summary>The consumption of the point at <paramref name="index"/>: the step from the point before it.</summary>
    private decimal DeltaOf(int index) => DeltaFrom(index == 0 ? (decimal)_droppedBaseline : BaselineAt(index - 1), index);

    /// <summary>The consumption of the point at <paramref name="index"/> measured from <paramref name="baseline"/>.</summary>
    private decimal DeltaFrom(decimal baseline, int index) => _points[index].Forced ? 0 : Step(baseline, _points[index].Raw).Delta;

    /// <summary>
    /// What the step after the point at <paramref name="index"/> is measured from: its own value, unless its step was
    /// jitter, which left the baseline where the point before it had it (the points are followed back to one that was
    /// not jitter, or to the dropped baseline).
    /// </summary>
    private decimal BaselineAt(int index) => (decimal)BaselineValueAt(index);

    private double BaselineValueAt(int index)
    {
        while (index >= 0 && _points[index].Jittered)
        {
            index--;
        }

        return index < 0 ? _droppedBaseline : _points[index].RawValue;
    }

    /// <summary>Drops the <paramref name="count"/> oldest points; the new oldest remembers what it was measured from.</summary>
    private void DropOldest(int count)
    {
        if (count <= 0)
        {
            return;
        }

        _droppedBaseline = BaselineValueAt(count - 1);
        _points.RemoveRange(0, count);
    }

    public RegisterStep Step(decimal baseline, decimal value)
    {
        if (value >= baseline)
        {
            return new RegisterStep(value - baseline, value, RegisterStepKind.Forward);
        }

        if (baseline - value <= rules.JitterTolerance)
        {
            return new RegisterStep(0, baseline, RegisterStepKind.Jitter);
        }

        var wrapped = Max + rules.Resolution - baseline + value;
        if (wrapped >= 0 && wrapped <= rules.MaxWrapDelta)
        {
            return new RegisterStep(wrapped, value, RegisterStepKind.Rollover);
        }

        return new RegisterStep(0, value, RegisterStepKind.NewBaseline);
    }
}
