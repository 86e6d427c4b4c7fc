using CitySense.Grains.Domain.History;
using Xunit;

namespace CitySense.UnitTests.History;

/// <summary>
/// A community's pending meter days keep the estimated part apart from the measured one: every day must still come out
/// with both, through a store and restore too, whichever part it has.
/// </summary>
public sealed class PendingMeterDaysTests
{
    private static readonly long Day1 = new DateTimeOffset(2026, 10, 5, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long Day2 = Day1 + 86_400_000;

    [Fact]
    public void Measured_and_estimated_consumption_come_out_per_meter_and_day_and_survive_a_restore()
    {
        var pending = New();
        pending.Meter("m1", Day1, 1.5m, estimated: false);
        pending.Meter("m1", Day1, 0.25m, estimated: true);
        pending.Meter("m1", Day1, 0.5m, estimated: false);
        pending.Meter("m1", Day2, 0.75m, estimated: true);
        pending.Meter("m2", Day1, 2m, estimated: false);
        pending.Meter("m2", Day2, 0m, estimated: true);

        var day1 = pending.Calendar.Day(Day1).DayNumber;
        var day2 = pending.Calendar.Day(Day2).DayNumber;
        (string, int, decimal, decimal)[] expected = [("m1", day1, 2m, 0.25m), ("m1", day2, 0m, 0.75m), ("m2", day1, 2m, 0m)];
        Assert.Equal(expected, Rows(pending));

        var restored = New();
        restored.Restore(pending.ToState());
        Assert.Equal(expected, Rows(restored));

        restored.Pushed();
        Assert.Empty(restored.Meters);
        Assert.True(restored.IsEmpty);
    }

    private static PendingHistory New() =>
        new(new LocalCalendar(TimeZoneInfo.Utc), new NightWindow(TimeSpan.FromHours(2), TimeSpan.FromHours(4)));

    private static (string, int, decimal, decimal)[] Rows(PendingHistory pending) =>
        pending.Meters.Select(m => (m.Key.Device, m.Key.Day, m.Value.Measured, m.Value.Estimated)).Order().ToArray();
}
