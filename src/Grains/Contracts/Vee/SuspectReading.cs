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

    /// <summary>What the decision counted: the step when accepted (0 when later readings had measured past it), 0 when rejected.</summary>
    [Id(13)] public decimal? Counted { get; init; }

    /// <summary>Ingest time of the reading.</summary>
    [Id(14)] public long ReceivedAtMs { get; init; }

    public const string Spike = "spike";
    public const string ReverseFlow = "reverse-flow";
}
