namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// One register reading kept for out-of-order arrivals. <see cref="Baseline"/> is the value the next step is measured
/// from (it differs from <see cref="Raw"/> after jitter). A point does not keep its consumption: it is the step from
/// the point before it (<see cref="RegisterTrack"/> measures it again when it needs it), or zero for a
/// <see cref="Forced"/> point, a new baseline whatever came before (the first reading, a checkpoint, a recorded
/// replacement).
/// </summary>
/// <remarks>
/// Raw and baseline are register values, which enter as doubles converted to decimal (at most 15 significant digits),
/// so they are kept as doubles and read back as the same decimals, and the forced flag rides in the timestamp's lowest
/// bit: 24 bytes a point. It was 48 with the consumption as a decimal and the flag beside it; a device keeps up to
/// <see cref="RegisterTrack.MaxPoints"/> of them, and a city has a million devices (benchmarks/RESULTS.md §42).
/// A value that would not read back exactly is refused at construction, never rounded.
/// </remarks>
public readonly struct RegisterPoint
{
    // Timestamp × 2, plus 1 when forced: every Unix millisecond a reading can carry (|ts| < 2^62) fits.
    private readonly long _timestampAndForced;
    private readonly double _raw;
    private readonly double _baseline;

    public RegisterPoint(long timestampMs, decimal raw, decimal baseline, bool forced)
        // Most points are measured from their own value (a forward step, a new baseline): checked once.
        : this(timestampMs, Compact(raw), baseline == raw ? (double)raw : Compact(baseline), forced)
    {
    }

    private RegisterPoint(long timestampMs, double raw, double baseline, bool forced)
    {
        _timestampAndForced = (timestampMs << 1) | (forced ? 1L : 0L);
        _raw = raw;
        _baseline = baseline;
    }

    public long TimestampMs => _timestampAndForced >> 1;

    public decimal Raw => (decimal)_raw;

    public decimal Baseline => (decimal)_baseline;

    /// <summary><see cref="Baseline"/> as kept: a double that reads back as the same decimal.</summary>
    public double BaselineValue => _baseline;

    /// <summary>A new baseline whatever the point before it: its consumption is zero, not a step.</summary>
    public bool Forced => (_timestampAndForced & 1) != 0;

    /// <summary>This reading measured again from an earlier one: its raw value is kept as stored, not converted again.</summary>
    public RegisterPoint Remeasured(RegisterStep step) => new(TimestampMs, _raw, Compact(step.Baseline), forced: false);

    /// <summary>True when <paramref name="value"/> reads back unchanged from a point (every value a reading can carry).</summary>
    public static bool Fits(decimal value) => (decimal)(double)value == value;

    private static double Compact(decimal value) => Fits(value)
        ? (double)value
        : throw new ArgumentOutOfRangeException(nameof(value), value, "a register value must have at most 15 significant digits");
}
