namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// One register reading kept for out-of-order arrivals. <see cref="Baseline"/> is the value the next step is measured
/// from (it differs from <see cref="Raw"/> after jitter); <see cref="Delta"/> is the consumption attributed to this reading.
/// </summary>
/// <remarks>
/// Raw and baseline are register values, which enter as doubles converted to decimal (at most 15 significant digits),
/// so they are kept as doubles and read back as the same decimals: 48 bytes a point instead of 64. A device keeps up to
/// <see cref="RegisterTrack.MaxPoints"/> of them, and a city has a million devices (128 MB). A value that would not read
/// back exactly is refused at construction, never rounded.
/// </remarks>
public readonly struct RegisterPoint
{
    private readonly double _raw;
    private readonly double _baseline;

    public RegisterPoint(long timestampMs, decimal raw, decimal baseline, decimal delta, bool newBaseline)
        // Most points are measured from their own value (a forward step, a new baseline): checked once.
        : this(timestampMs, Compact(raw), baseline == raw ? (double)raw : Compact(baseline), delta, newBaseline)
    {
    }

    private RegisterPoint(long timestampMs, double raw, double baseline, decimal delta, bool newBaseline)
    {
        TimestampMs = timestampMs;
        _raw = raw;
        _baseline = baseline;
        Delta = delta;
        NewBaseline = newBaseline;
    }

    public long TimestampMs { get; }

    public decimal Raw => (decimal)_raw;

    public decimal Baseline => (decimal)_baseline;

    public decimal Delta { get; }

    public bool NewBaseline { get; }

    /// <summary>This reading measured again from an earlier one: its raw value is kept as stored, not converted again.</summary>
    public RegisterPoint Remeasured(RegisterStep step) =>
        new(TimestampMs, _raw, Compact(step.Baseline), step.Delta, step.Kind == RegisterStepKind.NewBaseline);

    /// <summary>True when <paramref name="value"/> reads back unchanged from a point (every value a reading can carry).</summary>
    public static bool Fits(decimal value) => (decimal)(double)value == value;

    private static double Compact(decimal value) => Fits(value)
        ? (double)value
        : throw new ArgumentOutOfRangeException(nameof(value), value, "a register value must have at most 15 significant digits");
}
