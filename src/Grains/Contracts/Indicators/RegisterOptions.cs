namespace CitySense.Contracts.Indicators;

/// <summary>How cumulative registers (water/gas total in m³, heat energy in kWh) are read. Section "Registers".</summary>
public sealed class RegisterOptions
{
    public const string Section = "Registers";

    /// <summary>The largest value a register shows before it wraps to zero, unless a device is provisioned with its own.</summary>
    public decimal DefaultMax { get; set; } = 99_999_999.999m;

    /// <summary>The register's last digit: after <c>Max</c> comes 0, so a wrap adds <c>Max + Resolution − last + value</c>.</summary>
    public decimal Resolution { get; set; } = 0.001m;

    /// <summary>A register this much below its last value (or less) is jitter: ignored, the baseline stays.</summary>
    public decimal JitterTolerance { get; set; } = 0.01m;

    /// <summary>
    /// A register that fell further than the jitter tolerance wrapped if the wrapped volume is at most this; otherwise the
    /// meter was replaced or reset and the value is a new baseline (no negative and no giant delta).
    /// </summary>
    public decimal MaxWrapDelta { get; set; } = 1000m;
}
