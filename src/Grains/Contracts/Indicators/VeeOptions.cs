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
}
