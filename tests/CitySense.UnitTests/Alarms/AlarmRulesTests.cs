using CitySense.Contracts.Alarms;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Domain.Alarms;
using CitySense.Grains.Domain.Devices;

namespace CitySense.UnitTests.Alarms;

/// <summary>
/// Devices of one shard share <see cref="AlarmRules"/>: a device keeps an evaluator only while it has alarm state, and
/// the one lent to the others must carry nothing from one device to the next.
/// </summary>
public sealed class AlarmRulesTests
{
    // 2026-03-01T00:00:00Z.
    private const long Midnight = 1_772_323_200_000;
    private const long Minute = 60_000;

    private readonly DeviceRules _rules = new(new IndicatorOptions(), new RegisterOptions(), new AlarmRules(new AlarmOptions(), TimeZoneInfo.Utc));

    [Fact]
    public void A_smoke_detector_keeps_an_evaluator_only_while_its_alarm_is_active()
    {
        var address = new DeviceAddress("d", "c", "smoke", "s1");
        var detector = new DeviceState(_rules);

        Assert.Empty(detector.Apply(address, Reading(Midnight, ("smoke", 0))).Alarms);
        Assert.False(detector.KeepsAlarmState);

        var raised = Assert.Single(detector.Apply(address, Reading(Midnight + Minute, ("smoke", 1))).Alarms);
        Assert.Equal(AlarmState.Raised, raised.State);
        Assert.True(detector.KeepsAlarmState);

        var cleared = Assert.Single(detector.Apply(address, Reading(Midnight + 2 * Minute, ("smoke", 0))).Alarms);
        Assert.Equal((AlarmState.Cleared, raised.AlarmId), (cleared.State, cleared.AlarmId));
        Assert.False(detector.KeepsAlarmState);
    }

    [Fact]
    public void One_devices_active_alarm_is_never_seen_by_another_device_of_the_shard()
    {
        var burning = new DeviceAddress("d", "c", "smoke", "s1");
        var quiet = new DeviceAddress("d", "c", "smoke", "s2");
        var first = new DeviceState(_rules);
        var second = new DeviceState(_rules);

        Assert.Single(first.Apply(burning, Reading(Midnight, ("smoke", 1))).Alarms);
        // The second detector reports normal: it has no alarm to clear, whatever the first one has.
        Assert.Empty(second.Apply(quiet, Reading(Midnight, ("smoke", 0))).Alarms);
        // ... and raising its own is a new alarm of its own, while the first's stays active.
        var own = Assert.Single(second.Apply(quiet, Reading(Midnight + Minute, ("smoke", 1))).Alarms);
        Assert.Equal(("s2", AlarmState.Raised, Midnight + Minute), (own.Device, own.State, own.StartMs));
        Assert.Empty(first.Apply(burning, Reading(Midnight + Minute, ("smoke", 1))).Alarms);

        var cleared = Assert.Single(first.Apply(burning, Reading(Midnight + 2 * Minute, ("smoke", 0))).Alarms);
        Assert.Equal(("s1", AlarmState.Cleared, Midnight), (cleared.Device, cleared.State, cleared.StartMs));
    }

    [Fact]
    public void A_water_meter_keeps_its_flow_baseline_and_so_its_evaluator()
    {
        var address = new DeviceAddress("d", "c", "water", "w1");
        var meter = new DeviceState(_rules);
        var other = new DeviceState(_rules);
        var second = new DeviceAddress("d", "c", "water", "w2");

        for (var i = 0; i < 10; i++)
        {
            Assert.Empty(meter.Apply(address, Reading(Midnight + (i * Minute), ("flow", 1.0))).Alarms);
        }

        Assert.True(meter.KeepsAlarmState);
        // A meter that never reported flow has nothing to remember; and the baseline of the first is not lent to it:
        // a flow ten times the first meter's baseline is not a burst for a meter without one.
        Assert.Empty(other.Apply(second, Reading(Midnight, ("pressure", 0.3))).Alarms);
        Assert.False(other.KeepsAlarmState);
        Assert.DoesNotContain(other.Apply(second, Reading(Midnight + Minute, ("flow", 10.0))).Alarms, a => a.Type == AlarmTypes.Burst);
        Assert.Contains(meter.Apply(address, Reading(Midnight + (10 * Minute), ("flow", 10.0))).Alarms, a => a.Type == AlarmTypes.Burst);
    }

    private static DeviceReading Reading(long ts, params (string Name, double Value)[] metrics) =>
        new(ts, 0, false, ts, metrics.Select(m => new MetricSample(m.Name, m.Value)).ToArray());
}
