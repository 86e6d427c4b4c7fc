namespace CitySense.Contracts.Indicators;

/// <summary>
/// A lower area's consumption total of one kind (<paramref name="Total"/>, cumulative since it started) as it stood after
/// a batch, with what the batch's own updates of that area carry (<paramref name="Counted"/>) and the window the batch
/// reached last. An upper area counts the growth of <paramref name="Total"/>; the updates only place it in windows.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct SourceTotal(
    [property: Id(0)] string Source,
    [property: Id(1)] string Kind,
    [property: Id(2)] decimal Total,
    [property: Id(3)] decimal Counted,
    [property: Id(4)] long WindowStartMs)
{
    /// <summary>The lower area's sum of latest flows of this kind after the batch (absolute, like <see cref="Total"/>).</summary>
    [Id(5)] public double FlowSum { get; init; }

    /// <summary>The flow changes the batch's own updates of that area carry.</summary>
    [Id(6)] public double CountedFlow { get; init; }

    /// <summary>The lower area's change count when it reported: a report older than one already taken is stale.</summary>
    [Id(7)] public long Version { get; init; }
}
