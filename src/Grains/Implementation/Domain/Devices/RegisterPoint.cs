namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// One register reading kept for out-of-order arrivals. A point does not keep its consumption: it is the step from
/// the point before it (<see cref="RegisterTrack"/> measures it again when it needs it), or zero for a
/// <see cref="Forced"/> point, a new baseline whatever came before (the first reading, a checkpoint, a recorded
/// replacement). Nor does it keep the baseline the next step is measured from: every step but jitter leaves the
/// baseline at the reading's own value, and jitter (a small fall, ignored) leaves it where the point before it left it,
/// so a point only says whether it was <see cref="Jittered"/> and the track follows the points back to the baseline
/// (<see cref="RegisterTrack"/>).
/// </summary>
/// <remarks>
/// The raw value is a register value, which enters as a double converted to decimal (at most 15 significant digits), so
/// it is kept as that double and read back as the same decimal; the two flags ride in the timestamp's lowest bits:
/// 16 bytes a point. It was 48 with the consumption as a decimal and the flag beside it, then 24 with the baseline as a
/// second double; a device keeps up to <see cref="RegisterTrack.MaxPoints"/> of them, and a city has a million devices
/// (benchmarks/RESULTS.md §42, §57). A value that would not read back exactly is refused at construction, never rounded.
/// </remarks>
public readonly struct RegisterPoint
{
    private const long ForcedBit = 1;
    private const long JitteredBit = 2;
    private const long ReplacementBit = 4;

    // Timestamp × 8, plus the flags: every Unix millisecond a reading can carry (|ts| < 2^60) fits.
    private readonly long _timestampAndFlags;
    private readonly double _raw;

    public RegisterPoint(long timestampMs, decimal raw, bool forced, bool jittered, bool replacement = false)
        : this(timestampMs, Compact(raw), forced, jittered, replacement)
    {
    }

    private RegisterPoint(long timestampMs, double raw, bool forced, bool jittered, bool replacement)
    {
        _timestampAndFlags = (timestampMs << 3) | (forced || replacement ? ForcedBit : 0) | (jittered ? JitteredBit : 0) | (replacement ? ReplacementBit : 0);
        _raw = raw;
    }

    public long TimestampMs => _timestampAndFlags >> 3;

    public decimal Raw => (decimal)_raw;

    /// <summary><see cref="Raw"/> as kept: a double that reads back as the same decimal.</summary>
    public double RawValue => _raw;

    /// <summary>A new baseline whatever the point before it: its consumption is zero, not a step.</summary>
    public bool Forced => (_timestampAndFlags & ForcedBit) != 0;

    /// <summary>
    /// The first reading of a meter an operator recorded as replaced (forced too): unlike a forced first reading, never
    /// measured again from an older reading that arrives later, which is the old meter's.
    /// </summary>
    public bool Replacement => (_timestampAndFlags & ReplacementBit) != 0;

    /// <summary>Its step was jitter: the baseline after it is the one before it, not <see cref="Raw"/>.</summary>
    public bool Jittered => (_timestampAndFlags & JitteredBit) != 0;

    /// <summary>This reading measured again from an earlier one: its raw value is kept as stored, not converted again.</summary>
    public RegisterPoint Remeasured(RegisterStep step) => new(TimestampMs, _raw, forced: false, jittered: step.Kind == RegisterStepKind.Jitter, replacement: false);

    /// <summary>True when <paramref name="value"/> reads back unchanged from a point (every value a reading can carry).</summary>
    public static bool Fits(decimal value) => (decimal)(double)value == value;

    private static double Compact(decimal value) => Fits(value)
        ? (double)value
        : throw new ArgumentOutOfRangeException(nameof(value), value, "a register value must have at most 15 significant digits");
}
