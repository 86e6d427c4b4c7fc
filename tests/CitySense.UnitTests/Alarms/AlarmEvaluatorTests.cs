using CitySense.Contracts.Alarms;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.Alarms;

namespace CitySense.UnitTests.Alarms;

public sealed class AlarmEvaluatorTests
{
    // 2026-03-01T00:00:00Z.
    private const long Midnight = 1_772_323_200_000;
    private const long Minute = 60_000;

    private readonly AlarmEvaluator _water = new(new AlarmOptions(), TimeZoneInfo.Utc);

    [Fact]
    public void A_gas_leak_detector_warns_at_ten_percent_lel_escalates_at_twenty_five_and_clears_below_ten()
    {
        var detector = new AlarmEvaluator(new AlarmOptions(), TimeZoneInfo.Utc);
        var address = new DeviceAddress("d", "c", "gasleak", "gl1");

        Assert.Empty(detector.Evaluate(address, Midnight, [new("lel", 9.9)]));
        var raised = Assert.Single(detector.Evaluate(address, Midnight + Minute, [new("lel", 10)]));
        var escalated = Assert.Single(detector.Evaluate(address, Midnight + 2 * Minute, [new("lel", 30)]));
        Assert.Empty(detector.Evaluate(address, Midnight + 3 * Minute, [new("lel", 27)]));
        var cleared = Assert.Single(detector.Evaluate(address, Midnight + 4 * Minute, [new("lel", 2)]));

        Assert.Equal((AlarmState.Raised, AlarmSeverity.Warning, "gas-leak", Midnight + Minute), (raised.State, raised.Severity, raised.Type, raised.StartMs));
        Assert.Equal((AlarmState.Updated, AlarmSeverity.Critical), (escalated.State, escalated.Severity));
        Assert.Equal((AlarmState.Cleared, Midnight + Minute, Midnight + 4 * Minute, 30.0), (cleared.State, cleared.StartMs, cleared.EndMs, cleared.Peak));
        Assert.Equal(raised.AlarmId, cleared.AlarmId);
    }

    [Fact]
    public void A_device_keeps_its_alarm_table_only_while_an_alarm_is_active()
    {
        var address = new DeviceAddress("d", "c", "water", "w-table");
        Assert.False(_water.KeepsAlarmTable);

        Assert.Single(_water.Evaluate(address, Midnight, [new("pressure", 0.12)]));
        Assert.Single(_water.Evaluate(address, Midnight + Minute, [new("pressure", 0.7)]), e => e.State == AlarmState.Raised);
        Assert.True(_water.KeepsAlarmTable);
        Assert.Equal(["pressure-high"], _water.Active.Keys);

        var cleared = Assert.Single(_water.Evaluate(address, Midnight + 2 * Minute, [new("pressure", 0.3)]));
        Assert.Equal(("pressure-high", AlarmState.Cleared), (cleared.Type, cleared.State));
        Assert.False(_water.KeepsAlarmTable);
        Assert.Empty(_water.Active);

        // A new alarm after that starts a table again, with its own start.
        var again = Assert.Single(_water.Evaluate(address, Midnight + 3 * Minute, [new("pressure", 0.1)]));
        Assert.Equal(("pressure-low", AlarmState.Raised, Midnight + 3 * Minute), (again.Type, again.State, again.StartMs));
        Assert.True(_water.KeepsAlarmTable);
    }

    [Theory]
    [InlineData("smoke", "smoke", "smoke", AlarmSeverity.Critical)]
    [InlineData("manhole", "open", "manhole-open", AlarmSeverity.Warning)]
    public void A_switch_sensor_raises_on_one_and_clears_on_zero(string kind, string metric, string type, AlarmSeverity severity)
    {
        var sensor = new AlarmEvaluator(new AlarmOptions(), TimeZoneInfo.Utc);
        var address = new DeviceAddress("d", "c", kind, "s1");

        var raised = Assert.Single(sensor.Evaluate(address, Midnight, [new(metric, 1)]));
        var cleared = Assert.Single(sensor.Evaluate(address, Midnight + Minute, [new(metric, 0)]));

        Assert.Equal((type, severity, AlarmState.Raised), (raised.Type, raised.Severity, raised.State));
        Assert.Equal(AlarmState.Cleared, cleared.State);
    }

    [Fact]
    public void Water_pressure_out_of_band_raises_low_or_high_with_the_worst_value_as_peak()
    {
        var address = new DeviceAddress("d", "c", "water", "w1");

        var low = Assert.Single(_water.Evaluate(address, Midnight, [new("pressure", 0.12)]));
        Assert.Empty(_water.Evaluate(address, Midnight + Minute, [new("pressure", 0.10)]));
        var back = Assert.Single(_water.Evaluate(address, Midnight + 2 * Minute, [new("pressure", 0.3)]));
        var high = Assert.Single(_water.Evaluate(address, Midnight + 3 * Minute, [new("pressure", 0.7)]));

        Assert.Equal(("pressure-low", AlarmState.Raised), (low.Type, low.State));
        Assert.Equal(("pressure-low", AlarmState.Cleared, 0.10), (back.Type, back.State, back.Peak));
        Assert.Equal(("pressure-high", AlarmState.Raised), (high.Type, high.State));
    }

    [Fact]
    public void Heat_with_a_low_delta_t_and_a_high_return_temperature_raises_both()
    {
        var meter = new AlarmEvaluator(new AlarmOptions(), TimeZoneInfo.Utc);
        var address = new DeviceAddress("d", "c", "heat", "h1");

        var events = meter.Evaluate(address, Midnight, [new("supplyTemp", 64), new("returnTemp", 61), new("flow", 0.5)]);

        Assert.Equal(["high-return-temp", "low-delta-t"], events.Select(e => e.Type).Order());
        Assert.Equal(3.0, events.Single(e => e.Type == "low-delta-t").Value, 9);
    }

    [Fact]
    public void A_flow_spike_against_the_meters_own_baseline_is_a_burst()
    {
        var address = new DeviceAddress("d", "c", "water", "w1");
        for (var i = 0; i < 5; i++)
        {
            Assert.Empty(_water.Evaluate(address, Midnight + 10 * i * Minute, [new("flow", 0.8)]));
        }

        // Baseline 0.8 m³/h: 4 × 0.8 = 3.2 m³/h (above the 2 m³/h floor) is the line.
        Assert.Empty(_water.Evaluate(address, Midnight + 60 * Minute, [new("flow", 3.1)]));
        var burst = Assert.Single(_water.Evaluate(address, Midnight + 70 * Minute, [new("flow", 9)]));
        Assert.Equal(("burst", AlarmSeverity.Critical), (burst.Type, burst.Severity));
    }

    [Fact]
    public void A_minimum_night_flow_above_the_threshold_raises_a_leak_when_the_night_window_ends()
    {
        var address = new DeviceAddress("d", "c", "water", "w1");
        // 02:00–04:00 every 15 min with flow never below 0.08 m³/h; then a zero-flow reading at 04:15.
        for (var t = 2 * 60; t < 4 * 60; t += 15)
        {
            Assert.Empty(_water.Evaluate(address, Midnight + t * Minute, [new("flow", t == 150 ? 0.08 : 0.3)]));
        }

        var leak = Assert.Single(_water.Evaluate(address, Midnight + 255 * Minute, [new("flow", 0)]));
        Assert.Equal(("leak", AlarmState.Raised, 0.08), (leak.Type, leak.State, leak.Value));

        // The next night stays under the threshold: the leak clears when that window ends.
        var nextNight = Midnight + 24 * 60 * Minute;
        Assert.Empty(_water.Evaluate(address, nextNight + 150 * Minute, [new("flow", 0.01)]));
        var cleared = Assert.Single(_water.Evaluate(address, nextNight + 250 * Minute, [new("flow", 0.2)]));
        Assert.Equal(("leak", AlarmState.Cleared), (cleared.Type, cleared.State));
    }

    [Fact]
    public void Flow_on_every_reading_for_six_hours_is_a_leak_and_one_zero_reading_clears_it()
    {
        var address = new DeviceAddress("d", "c", "water", "w1");
        var start = Midnight + 10 * 60 * Minute; // 10:00, outside the night window
        for (var t = 0; t < 6 * 60; t += 30)
        {
            Assert.Empty(_water.Evaluate(address, start + t * Minute, [new("flow", 0.4)]));
        }

        var leak = Assert.Single(_water.Evaluate(address, start + 6 * 60 * Minute, [new("flow", 0.4)]));
        var cleared = Assert.Single(_water.Evaluate(address, start + 7 * 60 * Minute, [new("flow", 0)]));

        Assert.Equal(("leak", AlarmState.Raised, start + 6 * 60 * Minute), (leak.Type, leak.State, leak.StartMs));
        Assert.Equal(AlarmState.Cleared, cleared.State);
    }

    [Fact]
    public void The_night_window_is_local_time_in_the_configured_zone()
    {
        var shanghai = new AlarmEvaluator(new AlarmOptions { TimeZone = "Asia/Shanghai" }, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var address = new DeviceAddress("d", "c", "water", "w1");
        // 02:00–04:00 in Shanghai (UTC+8) is 18:00–20:00 UTC the day before.
        var localNight = Midnight - 6 * 60 * Minute;
        Assert.Empty(shanghai.Evaluate(address, localNight, [new("flow", 0.5)]));
        Assert.Empty(shanghai.Evaluate(address, localNight + 60 * Minute, [new("flow", 0.5)]));

        var leak = Assert.Single(shanghai.Evaluate(address, localNight + 130 * Minute, [new("flow", 0)]));
        Assert.Equal("leak", leak.Type);
    }
}
