using System.Text;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.Areas;
using CitySense.Output.LineProtocol;
using static CitySense.UnitTests.Domain.WaterScenario;

namespace CitySense.UnitTests.Domain;

public sealed class AreaAggregateTests : IDisposable
{
    private const string Measurement = "citysense_community";

    private static readonly KeyValuePair<string, string>[] Tags = [new("district", "north"), new("community", "c1")];

    // The scenario's two windows, written out by hand: counts as integers, consumption in decimal, flows and metrics as doubles.
    private const string W0Line =
        "citysense_community,district=north,community=c1,kind=water " +
        "accepted=3i,rejected=0i,devices_reporting=2i,devices_total=2i,duplicates=0i,late=0i,consumption=0.003,consumption_total=0.003,flow_sum=4.5," +
        "flow_count=3i,flow_min=1.5,flow_max=3,flow_mean=2.1666666666666665,flow_latest=1.5," +
        "temp_count=3i,temp_min=10,temp_max=14,temp_mean=12,temp_latest=12 1740830400000\n";

    private const string W1Line =
        "citysense_community,district=north,community=c1,kind=water " +
        "accepted=1i,rejected=2i,devices_reporting=1i,devices_total=2i,duplicates=0i,late=0i,consumption=0.5,consumption_total=0.503,flow_sum=5," +
        "flow_count=1i,flow_min=2,flow_max=2,flow_mean=2,flow_latest=2," +
        "temp_count=1i,temp_min=11,temp_max=11,temp_mean=11,temp_latest=11 1740830460000\n";

    private readonly AreaAggregate _area = new(new IndicatorOptions { Window = TimeSpan.FromMinutes(1) });
    private readonly LineBuilder _lines = new();

    public void Dispose() => _lines.Dispose();

    [Fact]
    public void A_batch_folds_its_accepted_updates_and_its_rejection_counts_into_the_kind()
    {
        _area.Apply(new IndicatorBatch(Updates(), Rejections()));

        var water = Assert.Single(_area.ToSnapshot(windows: 10));
        Assert.Equal("water", water.Kind);
        Assert.Equal(0.503m, water.Consumption);
        Assert.Equal(5.0, water.FlowSum);
        Assert.Equal((2L, 4L, 2L), (water.DevicesReporting, water.Accepted, water.Rejected));
        Assert.Equal([W1, W0], water.Windows.Select(w => w.StartMs).ToArray());
    }

    [Fact]
    public void Updates_refused_by_their_device_are_not_folded()
    {
        var refused = Updates()[0] with { Device = "d9", ConsumptionDelta = 42m, Rejection = RejectionReason.DeviceRegisteredElsewhere };

        _area.Apply(new IndicatorBatch([.. Updates(), refused], []));

        var water = Assert.Single(_area.ToSnapshot(windows: 10));
        Assert.Equal(0.503m, water.Consumption);
        Assert.Equal(4, water.Accepted);
        Assert.Equal(2, water.DevicesReporting);
    }

    [Fact]
    public void Kinds_are_kept_apart()
    {
        var heat = Update("heat", "h1", W0 + 5_000, W0, 1.25m, 0, DeviceUpdateFlags.FirstSeen | DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest, ("energy", 10));

        _area.Apply(new IndicatorBatch([.. Updates(), heat], Rejections()));

        var kinds = _area.ToSnapshot(windows: 10);
        Assert.Equal(["heat", "water"], kinds.Select(k => k.Kind).ToArray());
        Assert.Equal((1.25m, 1L, 0L), (kinds[0].Consumption, kinds[0].Accepted, kinds[0].Rejected));
        Assert.Equal((0.503m, 4L, 2L), (kinds[1].Consumption, kinds[1].Accepted, kinds[1].Rejected));
    }

    [Fact]
    public void Each_changed_window_is_written_once_with_its_indicators_at_its_start()
    {
        _area.Apply(new IndicatorBatch(Updates(), Rejections()));

        _area.WriteChangedWindows(_lines, Measurement, Tags);

        Assert.Equal(2, _lines.Lines);
        Assert.Equal(W0Line + W1Line, Encoding.UTF8.GetString(_lines.Written));
    }

    [Fact]
    public void Windows_are_not_written_again_until_they_change()
    {
        _area.Apply(new IndicatorBatch(Updates(), Rejections()));
        _area.WriteChangedWindows(_lines, Measurement, Tags);
        _lines.Clear();

        _area.WriteChangedWindows(_lines, Measurement, Tags);

        Assert.Equal(0, _lines.Lines);
        Assert.True(_lines.IsEmpty);
    }

    [Fact]
    public void Only_the_window_that_changed_is_written_again_with_its_new_indicators()
    {
        _area.Apply(new IndicatorBatch(Updates(), Rejections()));
        _area.WriteChangedWindows(_lines, Measurement, Tags);
        _lines.Clear();

        // d2 moves 250 litres in W1 and its flow drops from 3.0 to 1.0.
        _area.Apply(new IndicatorBatch(
            [Update("d2", W1 + 2_000, W1, 0.25m, -2.0, DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest, ("total", 50.25), ("flow", 1.0), ("temp", 13))],
            []));
        _area.WriteChangedWindows(_lines, Measurement, Tags);

        Assert.Equal(1, _lines.Lines);
        Assert.Equal(
            "citysense_community,district=north,community=c1,kind=water " +
            "accepted=2i,rejected=2i,devices_reporting=2i,devices_total=2i,duplicates=0i,late=0i,consumption=0.75,consumption_total=0.753,flow_sum=3," +
            "flow_count=2i,flow_min=1,flow_max=2,flow_mean=1.5,flow_latest=1," +
            "temp_count=2i,temp_min=11,temp_max=13,temp_mean=12,temp_latest=13 1740830460000\n",
            Encoding.UTF8.GetString(_lines.Written));
    }

    [Fact]
    public void A_late_rejection_marks_its_window_changed_again()
    {
        _area.Apply(new IndicatorBatch(Updates(), Rejections()));
        _area.WriteChangedWindows(_lines, Measurement, Tags);
        _lines.Clear();

        _area.Apply(new IndicatorBatch([], [new RejectionCount("water", RejectionReason.NotJson, W0, 1)]));
        _area.WriteChangedWindows(_lines, Measurement, Tags);

        var line = Encoding.UTF8.GetString(_lines.Written);
        Assert.Equal(1, _lines.Lines);
        Assert.StartsWith("citysense_community,district=north,community=c1,kind=water accepted=3i,rejected=1i,", line);
        Assert.EndsWith(" 1740830400000\n", line);
    }

    [Fact]
    public void A_window_with_only_rejections_is_written_with_zero_counts_and_no_flow_sum()
    {
        _area.Apply(new IndicatorBatch([], [new RejectionCount("gas", RejectionReason.MissingTimestamp, W0, 3)]));

        _area.WriteChangedWindows(_lines, Measurement, Tags);

        Assert.Equal(
            "citysense_community,district=north,community=c1,kind=gas " +
            "accepted=0i,rejected=3i,devices_reporting=0i,devices_total=0i,duplicates=0i,late=0i,consumption=0,consumption_total=0 1740830400000\n",
            Encoding.UTF8.GetString(_lines.Written));
    }

    [Fact]
    public void A_kind_without_a_register_writes_no_consumption()
    {
        _area.Apply(new IndicatorBatch(
            [Update("noise", "n1", W0, W0, 0m, 0, DeviceUpdateFlags.FirstSeen | DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest, ("db", 40.5))],
            []));

        _area.WriteChangedWindows(_lines, "citysense_city", []);

        Assert.Equal(
            "citysense_city,kind=noise accepted=1i,rejected=0i,devices_reporting=1i,devices_total=1i,duplicates=0i,late=0i," +
            "db_count=1i,db_min=40.5,db_max=40.5,db_mean=40.5,db_latest=40.5 1740830400000\n",
            Encoding.UTF8.GetString(_lines.Written));
    }

    [Fact]
    public void Windows_beyond_the_kept_count_are_dropped_only_once_written()
    {
        var area = new AreaAggregate(new IndicatorOptions { Window = TimeSpan.FromMinutes(1), WindowsKept = 2 });
        var flags = DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest;
        area.Apply(new IndicatorBatch(
            [
                Update("d1", W0, W0, 0m, 0, flags | DeviceUpdateFlags.FirstSeen, ("total", 1)),
                Update("d1", W1, W1, 1m, 0, flags, ("total", 2)),
                Update("d1", W1 + 60_000, W1 + 60_000, 1m, 0, flags, ("total", 3)),
            ],
            []));

        Assert.Equal(3, Assert.Single(area.ToSnapshot(windows: 10)).Windows.Length);

        area.WriteChangedWindows(_lines, Measurement, Tags);

        Assert.Equal(3, _lines.Lines);
        Assert.Equal([W1 + 60_000, W1], Assert.Single(area.ToSnapshot(windows: 10)).Windows.Select(w => w.StartMs).ToArray());
    }

    [Fact]
    public void A_new_window_after_an_eviction_is_the_evicted_one_started_over_with_nothing_of_its_past()
    {
        var area = new AreaAggregate(new IndicatorOptions { Window = TimeSpan.FromMinutes(1), WindowsKept = 1 });
        var flags = DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest;
        area.Apply(new IndicatorBatch(
            [Update("d1", W0, W0, 0m, 2.0, flags | DeviceUpdateFlags.FirstSeen, ("total", 1), ("flow", 2.0))],
            [new RejectionCount("water", RejectionReason.InvalidTimestamp, W0, 3)]));
        area.Apply(new IndicatorBatch([Update("d1", W1, W1, 1m, 0, flags, ("total", 2))], []));
        var evicted = area.Kinds.Single().Windows[0];
        area.WriteChangedWindows(_lines, Measurement, Tags);

        area.Apply(new IndicatorBatch([Update("d1", W1 + 60_000, W1 + 60_000, 0.5m, 0, flags, ("total", 2.5), ("temp", 11))], []));

        var kind = area.Kinds.Single();
        var reused = kind.Windows[^1];
        Assert.Same(evicted, reused);
        Assert.Equal(W1 + 60_000, reused.StartMs);
        Assert.Equal((0.5m, 1L, 0L, 0L, 0L, 1L), (reused.Consumption, reused.Accepted, reused.Rejected, reused.Duplicates, reused.Late, reused.DevicesReporting));
        Assert.Equal(["temp"], reused.Metrics.Select(m => m.Key));
        Assert.Equal(1, reused.Metrics.Single().Value.Count);
        Assert.Equal(1, reused.Lags.Count);
        Assert.Equal(1.5m, reused.ConsumptionTotal);
        Assert.True(reused.Dirty);
    }
}
