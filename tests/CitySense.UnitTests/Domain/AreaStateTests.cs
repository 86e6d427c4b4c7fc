using System.Text;
using System.Text.Json;
using CitySense.Contracts.Indicators;
using CitySense.Grains.Domain.Areas;
using CitySense.Output.LineProtocol;
using static CitySense.UnitTests.Domain.WaterScenario;

namespace CitySense.UnitTests.Domain;

/// <summary>An area stored and restored (another silo, after a failure) must go on exactly as if nothing happened.</summary>
public sealed class AreaStateTests
{
    private static readonly IndicatorOptions Options = new() { Window = TimeSpan.FromMinutes(1) };
    private static readonly KeyValuePair<string, string>[] Tags = [new("district", "north"), new("community", "c1")];

    [Fact]
    public void A_restored_area_shows_and_writes_what_the_stored_one_would()
    {
        var original = new AreaAggregate(Options);
        original.Apply(new IndicatorBatch(Updates(), Rejections()));

        var restored = new AreaAggregate(Options);
        restored.Restore(original.ToState(storeFromMs: long.MinValue));

        Assert.Equal(Json(original.ToSnapshot(10)), Json(restored.ToSnapshot(10)));
        Assert.Equal(Json(original.Quality(10, registered: 2)), Json(restored.Quality(10, registered: 2)));
        // Unwritten windows come back unwritten, so the next flush writes them.
        Assert.Equal(Written(original), Written(restored));
        Assert.Contains("consumption=0.5,", Written(Restore(Apply(new AreaAggregate(Options)))));
    }

    [Fact]
    public void The_same_batch_after_a_restore_folds_in_as_it_would_have_before()
    {
        var original = new AreaAggregate(Options);
        original.Apply(new IndicatorBatch(Updates()[..2], []));
        var restored = Restore(original);

        original.Apply(new IndicatorBatch(Updates()[2..], Rejections()));
        restored.Apply(new IndicatorBatch(Updates()[2..], Rejections()));

        Assert.Equal(Json(original.ToSnapshot(10)), Json(restored.ToSnapshot(10)));
        Assert.Equal(Written(original), Written(restored));
    }

    [Fact]
    public void Written_windows_older_than_the_stored_range_are_left_out_and_count_as_evicted()
    {
        var original = Apply(new AreaAggregate(Options));
        Written(original);

        var restored = new AreaAggregate(Options);
        restored.Restore(original.ToState(storeFromMs: W1));
        var kind = Assert.Single(restored.ToSnapshot(10));
        Assert.Equal([W1], kind.Windows.Select(w => w.StartMs));
        Assert.Equal(0.503m, kind.Consumption);

        // A correction for the window left out counts in the totals only: re-creating the window from nothing would
        // overwrite its complete point with a partial one.
        restored.Reconcile("water", 0.001m, W0);
        kind = Assert.Single(restored.ToSnapshot(10));
        Assert.Equal([W1], kind.Windows.Select(w => w.StartMs));
        Assert.Equal(0.504m, kind.Consumption);
    }

    [Fact]
    public void A_reconciliation_lands_in_the_window_and_in_the_totals()
    {
        var area = Apply(new AreaAggregate(Options));

        area.Reconcile("water", -0.5m, W1);

        var kind = Assert.Single(area.ToSnapshot(10));
        Assert.Equal(0.003m, kind.Consumption);
        Assert.Equal(0m, kind.Windows.Single(w => w.StartMs == W1).Consumption);
    }

    private static AreaAggregate Apply(AreaAggregate area)
    {
        area.Apply(new IndicatorBatch(Updates(), Rejections()));
        return area;
    }

    private static AreaAggregate Restore(AreaAggregate area)
    {
        var restored = new AreaAggregate(Options);
        restored.Restore(area.ToState(long.MinValue));
        return restored;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static string Written(AreaAggregate area)
    {
        using var lines = new LineBuilder();
        area.WriteChangedQuality(lines, "citysense_community_quality", Tags, 2);
        area.WriteChangedWindows(lines, "citysense_community", Tags);
        return Encoding.UTF8.GetString(lines.Written);
    }
}
