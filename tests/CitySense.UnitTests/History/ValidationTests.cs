using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Contracts.Vee;
using CitySense.Grains.Domain.Devices;

namespace CitySense.UnitTests.History;

/// <summary>Estimation over gaps and suspect readings on one meter (docs/history.md), on given timestamps.</summary>
public sealed class ValidationTests
{
    private const long T0 = 1_740_830_400_000;
    private const long QuarterMs = 15 * 60_000;
    private const long HourMs = 3_600_000;
    private static readonly DeviceAddress Water = new("north", "c1", "water", "w1");
    private static readonly IndicatorOptions Options = new() { Window = TimeSpan.FromMinutes(1) };

    private readonly DeviceState _meter = new(new DeviceRules(Options, new RegisterOptions(), vee: new VeeOptions()));
    private long _ts = T0;
    private decimal _register = 500m;

    [Fact]
    public void A_step_ten_times_the_usual_rate_is_held_and_counts_nothing()
    {
        Learn();
        var before = _meter.Consumption;
        var spike = Read(25m);
        Assert.Equal(SuspectState.Held, spike.Suspect?.State);
        Assert.Equal(SuspectReading.Spike, spike.Suspect!.Reason);
        Assert.Equal(25m, spike.Suspect.Step);
        Assert.Equal(0m, spike.ConsumptionDelta);
        Assert.Equal(before, _meter.Consumption);
        Assert.Equal(before, spike.Cumulative);
    }

    [Fact]
    public void A_misread_rejected_costs_nothing_the_next_reading_is_measured_from_the_last_good_one()
    {
        Learn();
        var good = _register;
        var before = _meter.Consumption;
        Assert.NotNull(Read(40m).Suspect);
        _register = good;
        var next = Read(0.02m);
        Assert.Null(next.Suspect);
        Assert.Equal(0.02m, next.ConsumptionDelta);
        Assert.Equal(before + 0.02m, _meter.Consumption);
    }

    [Fact]
    public void A_burst_accepted_counts_its_step_in_its_own_window_and_the_readings_after_it_from_there()
    {
        Learn();
        var before = _meter.Consumption;
        var spike = Read(30m);
        var release = _meter.Release(Water, spike.Suspect!);
        Assert.True(release.IsRelease);
        Assert.Equal(30m, release.Suspect!.Counted);
        Assert.Equal([new WindowCorrection(Options.WindowStart(spike.TimestampMs), 30m)], release.Corrections);
        Assert.Equal(0m, release.ConsumptionDelta);
        Assert.Equal(before + 30m, release.Cumulative);
        var next = Read(0.03m);
        Assert.Null(next.Suspect);
        Assert.Equal(0.03m, next.ConsumptionDelta);
    }

    [Fact]
    public void Accepting_a_reading_a_later_one_already_measured_past_counts_nothing_more()
    {
        Learn();
        var good = _register;
        var spike = Read(40m);
        _register = good;
        Read(0.02m);
        var release = _meter.Release(Water, spike.Suspect!);
        Assert.Equal(0m, release.Suspect!.Counted);
        Assert.Empty(release.Corrections);
    }

    [Fact]
    public void A_register_running_backwards_is_held_but_a_new_meter_starting_near_zero_is_a_replacement()
    {
        Learn();
        var backwards = Read(-3m);
        Assert.Equal(SuspectReading.ReverseFlow, backwards.Suspect?.Reason);
        Assert.Equal(-3m, backwards.Suspect!.Step);
        _register += 3m;
        _register = 0.5m;
        var replaced = Read(0m);
        Assert.Null(replaced.Suspect);
        Assert.Equal(0m, replaced.ConsumptionDelta);
    }

    [Fact]
    public void A_reset_meter_holds_one_reading_and_the_readings_after_it_count_from_there()
    {
        Learn();
        var before = _meter.Consumption;
        var fall = Read(-100m);
        Assert.Equal(SuspectReading.ReverseFlow, fall.Suspect?.Reason);
        var next = Read(0.02m);
        Assert.True(next.Suspect?.IsConfirmation, "the reading continuing from the fall confirms its level");
        Assert.Equal(next.TimestampMs, next.Suspect!.LevelConfirmedAtMs);
        Assert.Equal(0.02m, next.ConsumptionDelta);
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(Read(0.01m).Suspect);
        }

        Assert.Equal(before + 0.22m, _meter.Consumption);
        // The reset is in the register now: deciding the held fall either way counts nothing.
        Assert.Equal(0m, _meter.Release(Water, next.Suspect).Suspect!.Counted);
        Assert.Equal(before + 0.22m, _meter.Consumption);
    }

    [Fact]
    public void A_real_jump_holds_one_reading_and_the_readings_after_it_count_from_its_level()
    {
        Learn();
        var before = _meter.Consumption;
        var spike = Read(30m);
        Assert.Equal(SuspectReading.Spike, spike.Suspect?.Reason);
        var next = Read(0.02m);
        Assert.True(next.Suspect?.IsConfirmation, "the reading going on from the spike at the usual pace confirms its level");
        Assert.Equal((spike.TimestampMs, next.TimestampMs), (next.Suspect!.TimestampMs, next.Suspect.LevelConfirmedAtMs));
        Assert.Equal(0.02m, next.ConsumptionDelta);
        for (var i = 0; i < 20; i++)
        {
            var later = Read(0.01m);
            Assert.Null(later.Suspect);
            Assert.Equal(0.01m, later.ConsumptionDelta);
        }

        // The jump itself counted nowhere: held until decided.
        Assert.Equal(before + 0.22m, _meter.Consumption);
        var release = _meter.Release(Water, next.Suspect);
        Assert.Equal(30m, release.Suspect!.Counted);
        Assert.Equal([new WindowCorrection(Options.WindowStart(spike.TimestampMs), 30m)], release.Corrections);
        Assert.Equal(before + 30.22m, _meter.Consumption);
    }

    [Fact]
    public void A_reading_jumping_again_from_a_held_spike_is_held_too()
    {
        Learn();
        Assert.Equal(SuspectReading.Spike, Read(30m).Suspect?.Reason);
        var again = Read(30m);
        Assert.Equal(SuspectReading.Spike, again.Suspect?.Reason);
        Assert.False(again.Suspect!.IsConfirmation);
        Assert.Equal(60m, again.Suspect.Step);
        Assert.Equal(0m, again.ConsumptionDelta);
    }

    [Fact]
    public void A_misread_fall_is_held_and_the_next_reading_at_the_old_level_is_measured_from_the_last_good_one()
    {
        Learn();
        var good = _register;
        var before = _meter.Consumption;
        Assert.NotNull(Read(-100m).Suspect);
        _register = good;
        var next = Read(0.02m);
        Assert.Null(next.Suspect);
        Assert.Equal(0.02m, next.ConsumptionDelta);
        Assert.Equal(before + 0.02m, _meter.Consumption);
    }

    [Fact]
    public void A_meter_falling_twice_in_a_row_holds_both_falls()
    {
        Learn();
        Assert.NotNull(Read(-100m).Suspect);
        Assert.Equal(SuspectReading.ReverseFlow, Read(-10m).Suspect?.Reason);
    }

    [Fact]
    public void A_young_meter_has_no_usual_rate_to_be_suspect_against()
    {
        Read(0m);
        Read(0.01m);
        Assert.Null(Read(25m).Suspect);
    }

    [Fact]
    public void A_gap_of_five_hours_is_spread_over_its_hours_and_one_of_four_days_is_not()
    {
        Learn();
        var gap = Read(0.5m, after: 5 * HourMs);
        Assert.Equal(DeviceUpdateFlags.Estimated, gap.Flags & DeviceUpdateFlags.Estimated);
        Assert.Equal(0.5m, gap.ConsumptionDelta + gap.Corrections.Sum(c => c.ConsumptionDelta));
        Assert.All(gap.Corrections, c => Assert.True(c.Estimated));
        // One share per whole hour before the reading's own: linear in time.
        Assert.Equal(5, gap.Corrections.Length);
        Assert.Equal(0.1m, gap.Corrections[1].ConsumptionDelta);

        var long_ = Read(2m, after: 4 * 24 * HourMs);
        Assert.Equal(DeviceUpdateFlags.GapNotEstimated, long_.Flags & (DeviceUpdateFlags.GapNotEstimated | DeviceUpdateFlags.Estimated));
        Assert.Equal(2m, long_.ConsumptionDelta);
        Assert.Empty(long_.Corrections);
        Assert.Equal((1, 1), (_meter.GapsEstimated, _meter.GapsNotEstimated));
    }

    /// <summary>Twelve quarter-hours of a few litres each: the meter's usual rate is known.</summary>
    private void Learn()
    {
        Read(0m);
        for (var i = 0; i < 12; i++)
        {
            Read(0.01m + (i % 3 * 0.005m));
        }
    }

    private DeviceUpdate Read(decimal step, long after = QuarterMs)
    {
        _ts += after;
        _register += step;
        return _meter.Apply(Water, new DeviceReading(_ts, 0, false, _ts + 1_000, [new MetricSample("total", (double)_register)]));
    }
}
