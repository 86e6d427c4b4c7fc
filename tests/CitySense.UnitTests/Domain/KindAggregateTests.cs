using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Grains.Domain.Areas;
using static CitySense.UnitTests.Domain.WaterScenario;

namespace CitySense.UnitTests.Domain;

public sealed class KindAggregateTests
{
    private readonly KindAggregate _water = new("water", new IndicatorOptions { Window = TimeSpan.FromMinutes(1) });

    public KindAggregateTests()
    {
        foreach (var update in Updates())
        {
            _water.Apply(update, update.Metrics);
        }

        foreach (var rejection in Rejections())
        {
            _water.Reject(rejection.WindowStartMs, rejection.Count);
        }
    }

    [Fact]
    public void Consumption_is_summed_per_window_and_since_start()
    {
        Assert.Equal(0.503m, _water.Consumption);
        Assert.Equal([0.003m, 0.5m], _water.Windows.Select(w => w.Consumption).ToArray());
    }

    [Fact]
    public void The_flow_sum_is_the_sum_of_the_latest_flows()
    {
        Assert.Equal(2.0 + 3.0, _water.FlowSum);
    }

    [Fact]
    public void Devices_reporting_count_each_device_once_per_window_and_once_since_start()
    {
        Assert.Equal(2, _water.DevicesReporting);
        Assert.Equal([2L, 1L], _water.Windows.Select(w => w.DevicesReporting).ToArray());
    }

    [Fact]
    public void Accepted_and_rejected_readings_are_counted_per_window_and_since_start()
    {
        Assert.Equal(4, _water.Accepted);
        Assert.Equal(2, _water.Rejected);
        Assert.Equal([3L, 1L], _water.Windows.Select(w => w.Accepted).ToArray());
        Assert.Equal([0L, 2L], _water.Windows.Select(w => w.Rejected).ToArray());
    }

    [Fact]
    public void Each_window_remembers_the_area_totals_as_of_its_last_change()
    {
        var windows = _water.Windows.ToArray();

        Assert.Equal((0.003m, 2.0 + 3.0 - 0.5, 2L), (windows[0].ConsumptionTotal, windows[0].FlowSum, windows[0].DevicesTotal));
        Assert.Equal((0.503m, 2.0 + 3.0, 2L), (windows[1].ConsumptionTotal, windows[1].FlowSum, windows[1].DevicesTotal));
    }

    [Fact]
    public void Generic_metrics_have_min_max_mean_and_latest_per_window_without_the_register()
    {
        var metrics = _water.Windows.First().Metrics;
        var w0 = metrics.ToDictionary(m => m.Key, m => m.Value);

        Assert.Equal(["flow", "temp"], metrics.Select(m => m.Key).ToArray());
        Assert.Equal(new MetricStats("flow", 3, 1.5, 3.0, (2.0 + 3.0 + 1.5) / 3, 1.5, W0 + 3_000), w0["flow"].ToStats("flow"));
        Assert.Equal(new MetricStats("temp", 3, 10, 14, (10 + 14 + 12) / 3.0, 12, W0 + 3_000), w0["temp"].ToStats("temp"));
    }

    [Fact]
    public void Generic_metrics_since_start_cover_every_window()
    {
        var snapshot = _water.ToSnapshot(windows: 10);

        Assert.Equal(
            [
                new MetricStats("flow", 4, 1.5, 3.0, (2.0 + 3.0 + 1.5 + 2.0) / 4, 2.0, W1 + 1_000),
                new MetricStats("temp", 4, 10, 14, (10 + 14 + 12 + 11) / 4.0, 11, W1 + 1_000),
            ],
            snapshot.Metrics);
    }

    [Fact]
    public void The_snapshot_shows_the_totals_and_the_newest_windows_first()
    {
        var snapshot = _water.ToSnapshot(windows: 1);

        Assert.Equal("water", snapshot.Kind);
        Assert.Equal(0.503m, snapshot.Consumption);
        Assert.Equal(5.0, snapshot.FlowSum);
        Assert.Equal((2L, 4L, 2L), (snapshot.DevicesReporting, snapshot.Accepted, snapshot.Rejected));
        var window = Assert.Single(snapshot.Windows);
        Assert.Equal((W1, W1 + 60_000, 0.5m, 1L, 2L, 1L), (window.StartMs, window.EndMs, window.Consumption, window.Accepted, window.Rejected, window.DevicesReporting));
    }

    [Fact]
    public void A_flow_reported_by_an_older_reading_does_not_change_the_flow_sum()
    {
        var kind = new KindAggregate("water", new IndicatorOptions());
        var first = Update("d1", W0 + 2_000, W0, 0m, 4.0, DeviceUpdateFlags.FirstSeen | DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest, ("flow", 4.0));
        var older = Update("d1", W0 + 1_000, W0, 0m, 0, DeviceUpdateFlags.None, ("flow", 9.0));

        kind.Apply(first, first.Metrics);
        kind.Apply(older, older.Metrics);

        Assert.Equal(4.0, kind.FlowSum);
    }

    [Fact]
    public void A_kind_whose_devices_never_report_a_flow_has_no_flow_sum()
    {
        var kind = new KindAggregate("noise", new IndicatorOptions());
        var update = Update("noise", "n1", W0, W0, 0m, 0, DeviceUpdateFlags.FirstSeen | DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest, ("db", 40));

        kind.Apply(update, update.Metrics);

        Assert.Null(kind.FlowSum);
        Assert.False(kind.HasRegister);
        Assert.Null(kind.ToSnapshot(1).Consumption);
    }

    [Fact]
    public void The_register_of_heat_is_left_out_of_its_metrics_but_total_is_not()
    {
        var kind = new KindAggregate("heat", new IndicatorOptions());
        var update = Update("heat", "h1", W0, W0, 0m, 0, DeviceUpdateFlags.FirstSeen | DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest, ("energy", 1000), ("total", 3));

        kind.Apply(update, update.Metrics);

        Assert.Equal(["total"], kind.ToSnapshot(1).Metrics.Select(m => m.Name).ToArray());
    }
}
