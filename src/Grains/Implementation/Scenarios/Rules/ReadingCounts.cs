using CitySense.Contracts.Snapshots;

namespace CitySense.Grains.Scenarios.Rules;

/// <summary>An area's reading counts of one kind since start, as its updates carry them (received as in docs/indicators.md).</summary>
internal readonly record struct ReadingCounts(long Accepted, long Rejected, long Duplicates, long Late)
{
    public long Received => Accepted + Rejected + Duplicates + Late;

    public static ReadingCounts Of(KindSnapshot figures) => new(figures.Accepted, figures.Rejected, figures.Duplicates, figures.Late);

    public static ReadingCounts Sum(IEnumerable<ReadingCounts> parts) => parts.Aggregate(default(ReadingCounts), (a, b) =>
        new ReadingCounts(a.Accepted + b.Accepted, a.Rejected + b.Rejected, a.Duplicates + b.Duplicates, a.Late + b.Late));
}
