using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.Devices;

namespace CitySense.UnitTests.Domain;

public sealed class DeviceStateTests
{
    // 2025-03-01T12:00:00Z: a whole minute, so T0 starts a one-minute window.
    private const long T0 = 1_740_830_400_000;
    private const long MinuteMs = 60_000;

    // The ingest edge stamps readings a little after their event time; any fixed lag will do.
    private const long ReceivedLagMs = 250;

    private static readonly DeviceAddress Water = new("north", "c1", "water", "w1");

    private readonly DeviceRules _rules = new(new IndicatorOptions { Window = TimeSpan.FromMinutes(1) }, new RegisterOptions());
    private readonly DeviceState _state;

    public DeviceStateTests() => _state = new DeviceState(_rules);

    [Fact]
    public void The_first_reading_is_a_baseline_that_moves_nothing_and_marks_the_device_first_seen()
    {
        var update = _state.Apply(Water, Reading(T0 + 5_000, ("total", 1234.567), ("flow", 0)));

        Assert.True(update.Accepted);
        Assert.Equal(0m, update.ConsumptionDelta);
        Assert.Equal(DeviceUpdateFlags.FirstSeen | DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest, update.Flags);
        Assert.Equal(T0, update.WindowStartMs);
        Assert.Equal(T0 + 5_000, update.TimestampMs);
        Assert.Equal("w1", update.Device);
        Assert.Equal("water", update.Kind);
        Assert.Equal(T0 + 5_000 + ReceivedLagMs, _state.FirstSeenMs);
        Assert.Equal(1234.567, _state.Register);
        Assert.Equal(0m, _state.Consumption);
        Assert.Same(Water, _state.Address);
    }

    [Fact]
    public void A_forward_register_movement_is_an_exact_decimal_delta()
    {
        _state.Apply(Water, Reading(T0, ("total", 1234.567)));

        var update = _state.Apply(Water, Reading(T0 + 1_000, ("total", 1234.570)));

        // 1234.570 - 1234.567 in binary doubles is 0.0029999999999290594; the meter moved exactly 3 litres.
        Assert.Equal(0.003m, update.ConsumptionDelta);
        Assert.Equal(0.003m, _state.Consumption);
        Assert.Equal(DeviceUpdateFlags.Latest, update.Flags);
    }

    [Fact]
    public void Many_small_movements_add_up_without_drift()
    {
        var register = 100.000m;
        _state.Apply(Water, Reading(T0, ("total", (double)register)));

        for (var i = 1; i <= 1000; i++)
        {
            register += 0.001m;
            _state.Apply(Water, Reading(T0 + i, ("total", (double)register)));
        }

        Assert.Equal(1.000m, _state.Consumption);
    }

    [Fact]
    public void A_register_that_goes_down_moves_nothing_and_becomes_the_new_baseline()
    {
        _state.Apply(Water, Reading(T0, ("total", 500.25)));

        var down = _state.Apply(Water, Reading(T0 + 1_000, ("total", 12.5)));
        var up = _state.Apply(Water, Reading(T0 + 2_000, ("total", 13.75)));

        Assert.Equal(0m, down.ConsumptionDelta);
        Assert.Equal(1.25m, up.ConsumptionDelta);
        Assert.Equal(1.25m, _state.Consumption);
        Assert.Equal(13.75, _state.Register);
    }

    [Fact]
    public void An_unchanged_register_moves_nothing()
    {
        _state.Apply(Water, Reading(T0, ("total", 7.5)));

        var update = _state.Apply(Water, Reading(T0 + 1_000, ("total", 7.5)));

        Assert.Equal(0m, update.ConsumptionDelta);
    }

    [Fact]
    public void An_out_of_order_reading_within_the_lateness_splits_the_register_step_and_is_not_the_latest()
    {
        _state.Apply(Water, Reading(T0, ("total", 10), ("flow", 1)));
        var newest = Reading(T0 + 2 * MinuteMs, ("total", 12), ("flow", 2));
        _state.Apply(Water, newest);

        var late = _state.Apply(Water, Reading(T0 + MinuteMs, ("total", 11), ("flow", 9)));

        // 10 → 11 belongs to the late reading's own window; the newer reading's window gives that metre back.
        Assert.True(late.CountsInWindow);
        Assert.Equal(1m, late.ConsumptionDelta);
        Assert.Equal(T0 + MinuteMs, late.WindowStartMs);
        Assert.Equal([new WindowCorrection(T0 + 2 * MinuteMs, -1m)], late.Corrections);
        Assert.Equal(0, late.FlowDelta);
        Assert.Equal(DeviceUpdateFlags.None, late.Flags & DeviceUpdateFlags.Latest);
        Assert.Equal(2m, _state.Consumption);
        Assert.Equal(12, _state.Register);
        Assert.Equal(T0 + 2 * MinuteMs, _state.LastTimestampMs);
        Assert.Equal(newest.Metrics, _state.Latest);
        Assert.Equal(3, _state.Accepted);
    }

    [Fact]
    public void The_newest_metrics_are_kept_as_values_with_names_shared_between_devices_and_a_snapshot_does_not_change_afterwards()
    {
        var first = Reading(T0, ("total", 10), ("flow", 1));
        _state.Apply(Water, first);
        var snapshot = _state.ToSnapshot()!;
        var other = new DeviceState(_rules);
        other.Apply(new DeviceAddress("north", "c1", "water", "w-other"), Reading(T0, ("total", 3), ("flow", 0.5)));

        var second = Reading(T0 + 1_000, ("total", 10.5), ("flow", 2));
        _state.Apply(Water, second);

        Assert.Equal(second.Metrics, _state.Latest);
        Assert.Equal([new MetricSample("total", 3), new MetricSample("flow", 0.5)], other.Latest);
        // One array of names for both devices, whichever reading brought it.
        Assert.Same(_state.LatestNames, other.LatestNames);
        // Nor the reading's array changed, which rides its update to the community and the live feed.
        Assert.Equal([new MetricSample("total", 10), new MetricSample("flow", 1)], first.Metrics);
        Assert.Equal([new MetricSample("total", 10), new MetricSample("flow", 1)], snapshot.Latest);

        // Other metrics (a firmware update added one): other names, the other device's untouched.
        var third = Reading(T0 + 2_000, ("total", 11), ("flow", 2), ("pressure", 0.3));
        _state.Apply(Water, third);
        Assert.Equal(third.Metrics, _state.Latest);
        Assert.Equal(["total", "flow"], other.LatestNames);
        Assert.Equal([new MetricSample("total", 3), new MetricSample("flow", 0.5)], other.Latest);

        // Back to fewer metrics: nothing of the longer reading remains.
        _state.Apply(Water, Reading(T0 + 3_000, ("total", 12)));
        Assert.Equal([new MetricSample("total", 12)], _state.Latest);
    }

    [Fact]
    public void A_repeated_reading_of_the_same_timestamp_moves_nothing()
    {
        _state.Apply(Water, Reading(T0, ("total", 10)));
        _state.Apply(Water, Reading(T0 + 1_000, ("total", 12)));

        var again = _state.Apply(Water, Reading(T0 + 1_000, ("total", 12)));

        Assert.Equal(0m, again.ConsumptionDelta);
        Assert.Equal(2m, _state.Consumption);
    }

    [Fact]
    public void The_flow_delta_is_the_change_of_the_latest_flow()
    {
        var first = _state.Apply(Water, Reading(T0, ("flow", 2.5)));
        var second = _state.Apply(Water, Reading(T0 + 1_000, ("flow", 3.0)));
        var older = _state.Apply(Water, Reading(T0 + 500, ("flow", 10.0)));
        var third = _state.Apply(Water, Reading(T0 + 2_000, ("flow", 1.0)));
        var withoutFlow = _state.Apply(Water, Reading(T0 + 3_000, ("total", 1)));
        var fourth = _state.Apply(Water, Reading(T0 + 4_000, ("flow", 1.5)));

        Assert.Equal(2.5, first.FlowDelta);
        Assert.Equal(0.5, second.FlowDelta);
        Assert.Equal(0, older.FlowDelta);
        Assert.Equal(-2.0, third.FlowDelta);
        Assert.Equal(0, withoutFlow.FlowDelta);
        Assert.Equal(0.5, fourth.FlowDelta);
    }

    [Fact]
    public void A_device_tracks_the_128_windows_up_to_its_newest_and_a_window_far_ahead_is_new()
    {
        // Twenty windows in order, then each of them again (not first). A window 100 before the newest, never seen: first,
        // once. One 200 before the newest, beyond what is tracked: not flagged, so never counted twice. A lateness of a
        // day keeps every one of these readings in its window. Then a window about 4 000 years on: first (nothing
        // overflows), and the windows before it are no longer tracked.
        var state = new DeviceState(new DeviceRules(new IndicatorOptions { Window = TimeSpan.FromMinutes(1), AllowedLateness = TimeSpan.FromDays(1) }, new RegisterOptions()));
        var first = Enumerable.Range(0, 20).Select(i => state.Apply(Water, Reading(T0 + i * MinuteMs, ("flow", 1))).Flags).ToArray();
        var again = Enumerable.Range(0, 20).Select(i => state.Apply(Water, Reading(T0 + i * MinuteMs + 1, ("flow", 1))).Flags).ToArray();
        var older = state.Apply(Water, Reading(T0 + (19 - 100) * MinuteMs, ("flow", 1))).Flags;
        var olderAgain = state.Apply(Water, Reading(T0 + (19 - 100) * MinuteMs + 1, ("flow", 1))).Flags;
        var untracked = state.Apply(Water, Reading(T0 + (19 - 200) * MinuteMs, ("flow", 1))).Flags;
        var far = state.Apply(Water, Reading(T0 + (1L << 31) * MinuteMs, ("flow", 1))).Flags;
        var farAgain = state.Apply(Water, Reading(T0 + (1L << 31) * MinuteMs + 1, ("flow", 1))).Flags;

        Assert.All(first, f => Assert.True(f.HasFlag(DeviceUpdateFlags.FirstInWindow)));
        Assert.All(again.Append(olderAgain).Append(untracked), f => Assert.False(f.HasFlag(DeviceUpdateFlags.FirstInWindow) || f.HasFlag(DeviceUpdateFlags.Late)));
        Assert.True(older.HasFlag(DeviceUpdateFlags.FirstInWindow));
        Assert.True(far.HasFlag(DeviceUpdateFlags.FirstInWindow) && far.HasFlag(DeviceUpdateFlags.Latest));
        Assert.False(farAgain.HasFlag(DeviceUpdateFlags.FirstInWindow));
    }

    [Fact]
    public void A_device_is_first_in_a_window_only_once_per_window()
    {
        var flags = new[]
        {
            _state.Apply(Water, Reading(T0 + 1_000, ("total", 1))).Flags,
            _state.Apply(Water, Reading(T0 + 59_999, ("total", 2))).Flags,
            _state.Apply(Water, Reading(T0 + MinuteMs, ("total", 3))).Flags,
            _state.Apply(Water, Reading(T0 + 30_000, ("total", 4))).Flags,
            _state.Apply(Water, Reading(T0 + MinuteMs + 1, ("total", 5))).Flags,
            _state.Apply(Water, Reading(T0 - 1, ("total", 6))).Flags,
        };

        Assert.Equal(
            [true, false, true, false, false, true],
            flags.Select(f => (f & DeviceUpdateFlags.FirstInWindow) != 0).ToArray());
        Assert.Equal(1, flags.Count(f => (f & DeviceUpdateFlags.FirstSeen) != 0));
    }

    [Fact]
    public void The_window_of_a_reading_is_the_window_of_its_event_time()
    {
        _state.Apply(Water, Reading(T0, ("total", 1)));

        var update = _state.Apply(Water, Reading(T0 + 2 * MinuteMs + 59_999, ("total", 2)));

        Assert.Equal(T0 + 2 * MinuteMs, update.WindowStartMs);
    }

    [Theory]
    [InlineData("north", "c2", "water")]
    [InlineData("south", "c1", "water")]
    [InlineData("north", "c1", "gas")]
    public void A_reading_from_another_place_is_rejected_as_registered_elsewhere(string district, string community, string kind)
    {
        _state.Apply(Water, Reading(T0, ("total", 10)));

        var update = _state.Apply(new DeviceAddress(district, community, kind, "w1"), Reading(T0 + 1_000, ("total", 99)));

        Assert.False(update.Accepted);
        Assert.Equal(RejectionReason.DeviceRegisteredElsewhere, update.Rejection);
        Assert.Equal(0m, update.ConsumptionDelta);
        Assert.Equal(DeviceUpdateFlags.None, update.Flags);
        Assert.Empty(update.Metrics);
        Assert.Same(Water, _state.Address);
        Assert.Equal(10, _state.Register);
        Assert.Equal(1, _state.Accepted);
        Assert.Equal(1, _state.Rejected);
    }

    [Fact]
    public void The_register_of_heat_is_energy()
    {
        var heat = new DeviceAddress("north", "c1", "heat", "h1");
        _state.Apply(heat, Reading(T0, ("energy", 1000.5), ("total", 1)));

        var update = _state.Apply(heat, Reading(T0 + 1_000, ("energy", 1002), ("total", 500)));

        Assert.Equal(1.5m, update.ConsumptionDelta);
    }

    [Fact]
    public void A_kind_without_a_register_has_no_consumption()
    {
        var noise = new DeviceAddress("north", "c1", "noise", "n1");
        _state.Apply(noise, Reading(T0, ("total", 1)));

        var update = _state.Apply(noise, Reading(T0 + 1_000, ("total", 5)));

        Assert.Equal(0m, update.ConsumptionDelta);
        Assert.Null(_state.ToSnapshot()!.Consumption);
        Assert.Null(_state.Register);
    }

    [Fact]
    public void The_snapshot_shows_the_latest_reading_and_the_sequence_of_the_latest()
    {
        _state.Apply(Water, Reading(T0, ("total", 10)) with { Seq = 4, HasSeq = true });
        _state.Apply(Water, Reading(T0 + 1_000, ("total", 10.5)) with { Seq = 5, HasSeq = true });
        _state.Apply(Water, Reading(T0 + 500, ("total", 10.2)) with { Seq = 9, HasSeq = true });

        var snapshot = _state.ToSnapshot();

        Assert.NotNull(snapshot);
        Assert.Equal(5UL, snapshot.LastSeq);
        Assert.Equal(T0 + 1_000, snapshot.LastTimestampMs);
        Assert.Equal(0.5m, snapshot.Consumption);
        Assert.Equal(10.5, snapshot.Register);
        Assert.Equal(3, snapshot.Accepted);
        Assert.Equal([new MetricSample("total", 10.5)], snapshot.Latest);
    }

    [Fact]
    public void A_device_without_readings_has_no_snapshot()
    {
        Assert.Null(_state.ToSnapshot());
    }

    [Fact]
    public void A_register_beyond_any_meter_is_rejected_without_throwing()
    {
        _state.Apply(Water, Reading(T0, ("total", 1)));

        DeviceUpdate update = default;
        var error = Record.Exception(() => update = _state.Apply(Water, Reading(T0 + 1_000, ("total", 1e30))));

        Assert.Null(error);
        Assert.Equal(RejectionReason.RegisterOutOfRange, update.Rejection);
        Assert.Equal(0m, _state.Consumption);
    }

    [Fact]
    public void An_out_of_order_reading_older_than_the_register_points_kept_is_late_and_moves_nothing()
    {
        // RegisterTrack.MaxPoints + 2 in-order readings, 10 s apart, one litre each: the oldest points are dropped.
        var count = RegisterTrack.MaxPoints + 2;
        for (var i = 0; i < count; i++)
        {
            _state.Apply(Water, Reading(T0 + 20_000 + i * 10_000, ("total", 100 + i * 0.001)));
        }

        // Within the allowed lateness (5 min) but before every kept point: it cannot be placed, so it is late.
        var update = _state.Apply(Water, Reading(T0 + 25_000, ("total", 100.0005)));

        Assert.Equal(DeviceUpdateFlags.Late, update.Flags & DeviceUpdateFlags.Late);
        Assert.Equal(0m, update.ConsumptionDelta);
        Assert.Empty(update.Corrections);
        Assert.Equal((count - 1) * 0.001m, _state.Consumption);

        // One between kept points is still placed and splits its step.
        var placed = _state.Apply(Water, Reading(T0 + 20_000 + (count - 2) * 10_000 + 5_000, ("total", 100 + (count - 2) * 0.001 + 0.0004)));
        Assert.Equal(0, (int)(placed.Flags & DeviceUpdateFlags.Late));
        Assert.Equal(0.0004m, placed.ConsumptionDelta);
        Assert.Equal(-0.0004m, Assert.Single(placed.Corrections).ConsumptionDelta);
    }

    [Fact]
    public void A_repeat_is_a_duplicate_while_among_the_16_most_recent_readings_and_is_applied_again_after()
    {
        for (var i = 0; i < RecentReadings.Size + 1; i++)
        {
            _state.Apply(Water, new DeviceReading(T0 + i * 1_000, (ulong)i + 1, i % 2 == 0, T0 + i * 1_000, [new MetricSample("flow", 1)]));
        }

        // seq 2 (the second reading, which carried no seq) is not recognised by seq; the newest 16 are by ts.
        Assert.Equal(DeviceUpdateFlags.Duplicate, _state.Apply(Water, new DeviceReading(T0 + 5_000, 99, true, T0 + 40_000, [])).Flags & DeviceUpdateFlags.Duplicate);
        Assert.Equal(DeviceUpdateFlags.Duplicate, _state.Apply(Water, new DeviceReading(T0 + 99_500, (ulong)RecentReadings.Size + 1, true, T0 + 40_000, [])).Flags & DeviceUpdateFlags.Duplicate);
        Assert.Equal(DeviceUpdateFlags.None, _state.Apply(Water, new DeviceReading(T0 + 99_700, 4, true, T0 + 40_000, [])).Flags & DeviceUpdateFlags.Duplicate);
        // The very first reading (ts T0) has left the 16 remembered: its repeat is applied again (within the lateness).
        Assert.Equal(DeviceUpdateFlags.None, _state.Apply(Water, new DeviceReading(T0, 1, true, T0 + 40_000, [])).Flags & DeviceUpdateFlags.Duplicate);
    }

    private static DeviceReading Reading(long timestampMs, params (string Name, double Value)[] metrics) =>
        new(timestampMs, 0, false, timestampMs + ReceivedLagMs, metrics.Select(m => new MetricSample(m.Name, m.Value)).ToArray());
}
