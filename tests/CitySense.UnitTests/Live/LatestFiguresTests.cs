using System.Text;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Live;
using Xunit;

namespace CitySense.UnitTests.Live;

public sealed class LatestFiguresTests
{
    [Fact]
    public void A_snapshot_gives_back_the_newest_figures_of_each_area_and_kind_as_subscribers_would_have_received_them()
    {
        var latest = new LatestFigures(TestSerializer.Instance);
        var first = Update(1, "community", "d1/c1", "water", metrics: 6);
        var newer = Update(7, "community", "d1/c1", "water", metrics: 2);
        var heat = Update(3, "community", "d1/c1", "heat", metrics: 4);

        latest.Set(first);
        latest.Set(heat);
        // Fewer metrics than before: nothing of the longer update may come back.
        latest.Set(newer);

        var read = latest.CopyMatching(LiveFilter.All).Select(latest.Read).OrderBy(u => u.Seq).ToList();
        Assert.Equal(2, latest.Count);
        Assert.Equal([Json(heat), Json(newer)], read.Select(Json));
    }

    [Fact]
    public void An_update_a_little_shorter_or_longer_than_the_last_reads_back_exactly()
    {
        // Sizes up and down by a few bytes (the array is kept) and by many (it is replaced).
        var latest = new LatestFigures(TestSerializer.Instance);
        foreach (var (seq, metrics) in new[] { (1L, 3), (2L, 3), (300L, 3), (4L, 4), (5L, 3), (6L, 12), (7L, 1), (70_000L, 1), (9L, 1) })
        {
            var update = Update(seq, "community", "d1/c1", "water", metrics);
            latest.Set(update);
            Assert.Equal(Json(update), Json(latest.Read(latest.Copy("community", "d1/c1", "water")!)));
            Assert.Equal(Json(update), Json(latest.CopyMatching(LiveFilter.All).Select(latest.Read).Single()));
        }
    }

    [Fact]
    public void The_filter_picks_areas_and_kinds_from_the_keys_exactly_as_it_picks_updates()
    {
        var latest = new LatestFigures(TestSerializer.Instance);
        List<IndicatorUpdate> updates =
        [
            Update(1, "city", "city", "water", 1),
            Update(2, "district", "d1", "water", 1),
            Update(3, "district", "d10", "heat", 1),
            Update(4, "community", "d1/c1", "water", 1),
            Update(5, "community", "d1/c10", "gas", 1),
            Update(6, "community", "d10/c1", "water", 1),
        ];
        updates.ForEach(latest.Set);
        LiveFilter[] filters =
        [
            LiveFilter.All,
            new(null, null, "water", null, null),
            new("d1", null, null, null, null),
            new("d1", "c1", null, null, null),
            new("d10", "c1", "water", null, null),
            new("d1", "c10", "water", null, null),
            new("d2", null, null, null, null),
        ];

        foreach (var filter in filters)
        {
            var expected = updates.Where(filter.Matches).Select(u => u.Seq).Order();
            Assert.Equal(expected, latest.CopyMatching(filter).Select(latest.Read).Select(u => u.Seq).Order());
        }
    }

    private static IndicatorUpdate Update(long seq, string level, string key, string kind, int metrics)
    {
        var stats = Enumerable.Range(0, metrics).Select(i => new MetricStats($"m{i}", 10 + i, -1.5 * i, 2.25 * i, 0.1 * i, 3.3 * i, 1_764_115_200_000 + i)).ToArray();
        var window = new WindowSnapshot(1_764_115_200_000, 1_764_115_260_000, 12.345m, 40 + seq, 2, 30, stats) { Duplicates = 3, Late = 1 };
        var figures = new KindSnapshot(kind, 1234.567m + seq, 0.75, 100, 4000 + seq, 5, stats, [window]) { Duplicates = 7, Late = 2 };
        return new IndicatorUpdate(seq, 1_764_115_300_000 + seq, level, key, figures);
    }

    private static string Json(IndicatorUpdate update) => Encoding.UTF8.GetString(LiveJson.IndicatorPayload(update, new()));
}
