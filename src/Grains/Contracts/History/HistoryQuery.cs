namespace CitySense.Contracts.History;

/// <summary>
/// Buckets of <paramref name="Step"/> that overlap [<paramref name="FromMs"/>, <paramref name="ToMs"/>) (Unix ms),
/// of one kind or, when <paramref name="Kind"/> is null, of every kind the area has.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HistoryQuery(
    [property: Id(0)] string? Kind,
    [property: Id(1)] long FromMs,
    [property: Id(2)] long ToMs,
    [property: Id(3)] HistoryStep Step);
