using CitySense.Grains.Domain.Areas;

namespace CitySense.UnitTests.Domain;

/// <summary>Window metrics held by slot of their kind's names: shared names, each window its own values.</summary>
public sealed class WindowMetricsTests
{
    [Fact]
    public void Names_keep_their_slot_and_an_equal_string_finds_it()
    {
        var names = new MetricNames();

        var pressure = names.SlotOf("pressure");
        var flow = names.SlotOf("flow");

        Assert.Equal(pressure, names.SlotOf(new string("pressure".AsSpan())));
        Assert.Equal(flow, names.SlotOf("flow"));
        Assert.Equal(2, names.Count);
        Assert.Equal(["flow", "pressure"], names.InOrdinalOrder.ToArray().Select(s => names[s]));
    }

    [Fact]
    public void A_window_lists_only_its_own_metrics_in_ordinal_order_though_its_kind_knows_more()
    {
        var names = new MetricNames();
        var first = new WindowAggregate(0, names);
        var second = new WindowAggregate(60_000, names);

        first.Metrics.GetOrAdd("temperature").Add(20, 1_000);
        first.Metrics.GetOrAdd("flow").Add(1.5, 1_000);
        second.Metrics.GetOrAdd("pressure").Add(3, 61_000);
        second.Metrics.GetOrAdd("flow").Add(2.5, 61_000);
        second.Metrics.GetOrAdd("flow").Add(0.5, 62_000);

        Assert.Equal(3, names.Count);
        Assert.Equal(["flow", "temperature"], first.Metrics.Select(m => m.Key));
        Assert.Equal(["flow", "pressure"], second.Metrics.Select(m => m.Key));
        Assert.Equal(2, second.Metrics.Count);
        var flow = second.Metrics.Single(m => m.Key == "flow").Value;
        Assert.Equal((2, 0.5, 2.5, 0.5), (flow.Count, flow.Min, flow.Max, flow.Latest));
        Assert.Equal(1.5, first.Metrics.Single(m => m.Key == "flow").Value.Sum);
    }

    [Fact]
    public void The_lag_histogram_is_changed_in_its_window_not_in_a_copy()
    {
        var window = new WindowAggregate(0);

        window.Lags.Add(50, timelyWithinMs: 1_000);
        window.Lags.Add(5_000, timelyWithinMs: 1_000);

        Assert.Equal(2, window.Lags.Count);
        Assert.Equal(1, window.Lags.Timely);
        Assert.Equal(5_000, window.Lags.Percentile(1));
    }

    [Fact]
    public void Restored_lag_counts_beyond_a_bucket_saturate_instead_of_failing_the_restore()
    {
        var lags = default(LagHistogram);

        lags.Restore([1, long.MaxValue, -3], timely: 1);

        Assert.Equal(1L + int.MaxValue, lags.Count);
        Assert.Equal([1L, int.MaxValue, 0L], lags.CountsCopy().Take(3));
    }
}
