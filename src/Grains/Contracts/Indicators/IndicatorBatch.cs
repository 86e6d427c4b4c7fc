namespace CitySense.Contracts.Indicators;

/// <summary>The updates of one ingest batch that belong to one area (community, district or city).</summary>
[GenerateSerializer, Immutable]
public sealed record IndicatorBatch(
    [property: Id(0)] DeviceUpdate[] Updates,
    [property: Id(1)] RejectionCount[] Rejections)
{
    /// <summary>
    /// District and city batches: each community's consumption total per kind after it applied this batch, so the
    /// upper levels count exactly what the community counted, even after a failure between the levels.
    /// </summary>
    [Id(2)] public SourceTotal[] Totals { get; init; } = [];

    /// <summary>
    /// District and city batches: the batches of the communities under them, as they were sent to the communities, so a
    /// batch's updates are not copied once per level.
    /// </summary>
    [Id(3)] public IndicatorBatch[] Parts { get; init; } = [];

    /// <summary>
    /// Names one ingest batch at one area, the same on every retry of the call, so an area that applied it (and lost its
    /// answer) does not apply it twice. Null for batches that are not retried.
    /// </summary>
    [Id(4)] public string? BatchId { get; init; }

    /// <summary>Adds the kinds this batch (and its parts) touched to <paramref name="kinds"/>.</summary>
    public void AddKindsTo(ISet<string> kinds)
    {
        foreach (var update in Updates)
        {
            kinds.Add(update.Kind);
        }

        foreach (var rejection in Rejections)
        {
            kinds.Add(rejection.Kind);
        }

        foreach (var part in Parts)
        {
            part.AddKindsTo(kinds);
        }
    }
}
