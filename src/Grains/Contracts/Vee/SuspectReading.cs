namespace CitySense.Contracts.Vee;

/// <summary>
/// A register reading held out of the totals as implausible (docs/history.md): a step far above the meter's usual rate
/// (<c>spike</c>) or a fall beyond jitter that is neither a wrap nor a replacement (<c>reverse-flow</c>). The original
/// values stay as they came; the decision records who, when, and the consumption it counted (the edited value).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SuspectReading(
    [property: Id(0)] string Device,
    [property: Id(1)] string Kind,
    [property: Id(2)] long TimestampMs,
    [property: Id(3)] decimal Register,
    [property: Id(4)] decimal Baseline,
    [property: Id(5)] decimal Step,
    [property: Id(6)] string Reason,
    [property: Id(7)] double RatePerHour,
    [property: Id(8)] double UsualPerHour)
{
    [Id(9)] public SuspectState State { get; init; }

    [Id(10)] public string? DecidedBy { get; init; }

    [Id(11)] public long? DecidedAtMs { get; init; }

    [Id(12)] public string? Comment { get; init; }

    /// <summary>
    /// What the decision counted: the step when accepted (0 for a reverse flow, and 0 when a later reading had measured
    /// past it from the level before it), 0 when rejected.
    /// </summary>
    [Id(13)] public decimal? Counted { get; init; }

    /// <summary>Ingest time of the reading.</summary>
    [Id(14)] public long ReceivedAtMs { get; init; }

    /// <summary>
    /// Timestamp of the later reading that continued from this one (newer, not lower, and a plausible step from it): the
    /// meter really is at this level, so its register restarted from here instead of holding the meter's whole future.
    /// The step itself still waits for a decision: accepted it counts (a spike's step, as a correction to its window),
    /// rejected it never does. Null while no reading has continued from it. On a device update with
    /// <see cref="SuspectState.Held"/> it is a confirmation of a reading held earlier, not a new suspect.
    /// </summary>
    [Id(15)] public long? LevelConfirmedAtMs { get; init; }

    /// <summary>A device update carrying this confirms an earlier held reading's level; it holds nothing new.</summary>
    public bool IsConfirmation => State == SuspectState.Held && LevelConfirmedAtMs is not null;

    public const string Spike = "spike";
    public const string ReverseFlow = "reverse-flow";
}
