namespace CitySense.Contracts.Indicators;

/// <summary>Validation, estimation and editing of meter data (docs/history.md). Section "Vee".</summary>
public sealed class VeeOptions
{
    public const string Section = "Vee";

    /// <summary>
    /// A register reading that follows the meter's previous one after more than this is a gap: its step is spread over
    /// the gap's hours as estimated consumption.
    /// </summary>
    public TimeSpan MinGap { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Longer gaps are not estimated: their step stays in the reading's hour, measured, and the gap is reported.</summary>
    public TimeSpan MaxGap { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// A register step whose rate (per hour since the meter's previous reading) is above this many times the meter's usual
    /// rate is suspect: held out of the totals until an operator accepts or rejects it. 0 turns the check off.
    /// </summary>
    public double SuspectFactor { get; set; } = 10;

    /// <summary>Steps up to this (m³ or kWh) are never suspect: a meter idling near zero does not "spike" on a shower.</summary>
    public decimal SuspectMinStep { get; set; } = 1m;

    /// <summary>Steps a meter must have shown before its usual rate is trusted.</summary>
    public int SuspectAfterSteps { get; set; } = 10;

    /// <summary>
    /// Suspect readings held per community for an operator's decision; past it the oldest is rejected by the system
    /// (docs/history.md §4). Memory: about 260 bytes a held reading, at most this many per community.
    /// </summary>
    public int HeldKept { get; set; } = 50;

    /// <summary>Decisions on suspect readings kept per community (the newest), as their audit trail.</summary>
    public int DecidedKept { get; set; } = 20;
}
