using CitySense.Contracts.Alarms;
using CitySense.Silo.Demo;

namespace CitySense.UnitTests.Simulation;

public sealed class DemoOperatorTests
{
    private const long RaisedMs = 1_000_000;
    private static readonly TimeSpan After = TimeSpan.FromSeconds(30);

    private static AlarmRecord Record(AlarmSeverity severity, AlarmCondition condition, long? endMs = null) => new(
        new AlarmEvent("w1/leak/1000000", "leak", severity, endMs is null ? AlarmState.Raised : AlarmState.Cleared, "d", "c", "water", "w1", RaisedMs, endMs, 1, 1, "m"),
        new AlarmStatus("w1/leak/1000000", condition, 1, RaisedMs, null, null, null, null, null),
        []);

    [Fact]
    public void A_warning_is_acknowledged_once_it_was_left_unacknowledged_for_the_delay()
    {
        var warning = Record(AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged);

        Assert.False(DemoOperator.ShouldAcknowledge(warning, RaisedMs + 29_999, After));
        Assert.True(DemoOperator.ShouldAcknowledge(warning, RaisedMs + 30_000, After));
    }

    [Fact]
    public void An_active_critical_alarm_is_left_to_the_person_watching()
    {
        var critical = Record(AlarmSeverity.Critical, AlarmCondition.ActiveUnacknowledged);

        Assert.False(DemoOperator.ShouldAcknowledge(critical, RaisedMs + 3_600_000, After));
    }

    [Fact]
    public void A_cleared_alarm_nobody_acknowledged_is_closed_the_delay_after_it_cleared()
    {
        var cleared = Record(AlarmSeverity.Critical, AlarmCondition.ClearedUnacknowledged, endMs: RaisedMs + 60_000);

        Assert.False(DemoOperator.ShouldAcknowledge(cleared, RaisedMs + 89_999, After));
        Assert.True(DemoOperator.ShouldAcknowledge(cleared, RaisedMs + 90_000, After));
    }

    [Fact]
    public void An_acknowledged_alarm_is_not_acknowledged_again()
    {
        Assert.False(DemoOperator.ShouldAcknowledge(Record(AlarmSeverity.Warning, AlarmCondition.ActiveAcknowledged), RaisedMs + 3_600_000, After));
        Assert.False(DemoOperator.ShouldAcknowledge(Record(AlarmSeverity.Warning, AlarmCondition.ClearedAcknowledged, RaisedMs + 1), RaisedMs + 3_600_000, After));
    }
}
