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
    [property: Id(4)] long WindowStartMs);
