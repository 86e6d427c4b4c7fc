using CitySense.Grains.Domain.History;

namespace CitySense.UnitTests.History;

public sealed class LocalCalendarTests
{
    [Theory]
    [InlineData("Europe/Berlin", "2026-03-29", 23)]
    [InlineData("Europe/Berlin", "2026-10-25", 25)]
    [InlineData("Europe/Berlin", "2026-10-24", 24)]
    [InlineData("America/New_York", "2026-03-08", 23)]
    [InlineData("America/New_York", "2026-11-01", 25)]
    [InlineData("Asia/Shanghai", "2026-03-29", 24)]
    [InlineData("Asia/Kolkata", "2026-10-25", 24)]
    public void A_local_day_has_the_hours_its_clocks_show(string zone, string date, int hours)
    {
        var calendar = new LocalCalendar(TimeZoneInfo.FindSystemTimeZoneById(zone));
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(hours, HoursOf(calendar, day).Count);
        Assert.Equal(hours * LocalCalendar.HourMs, calendar.DayEnd(day) - calendar.DayStart(day));
    }

    [Fact]
    public void Shanghai_has_no_day_other_than_24_hours_in_a_year()
    {
        var calendar = new LocalCalendar(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        for (var day = new DateOnly(2026, 1, 1); day.Year == 2026; day = day.AddDays(1))
        {
            Assert.Equal(24, HoursOf(calendar, day).Count);
        }
    }

    [Fact]
    public void Hours_of_a_half_hour_zone_start_at_half_past_in_utc()
    {
        var calendar = new LocalCalendar(TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"));
        var instant = DateTimeOffset.Parse("2026-12-06T10:10:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        Assert.Equal(DateTimeOffset.Parse("2026-12-06T09:30:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), calendar.HourStart(instant));
        Assert.Equal("2026-12-06T15:00:00+05:30", calendar.Label(calendar.HourStart(instant)));
    }

    [Fact]
    public void The_repeated_hour_of_autumn_is_two_buckets_with_their_own_offsets()
    {
        var calendar = new LocalCalendar(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var labels = HoursOf(calendar, new DateOnly(2026, 10, 25)).Select(calendar.Label).ToList();
        Assert.Contains("2026-10-25T02:00:00+02:00", labels);
        Assert.Contains("2026-10-25T02:00:00+01:00", labels);
    }

    /// <summary>Distinct hour starts of every minute of the day, found from instants (as readings would).</summary>
    private static List<long> HoursOf(LocalCalendar calendar, DateOnly day)
    {
        var hours = new List<long>();
        for (var t = calendar.DayStart(day); t < calendar.DayEnd(day); t += 60_000)
        {
            var hour = calendar.HourStart(t);
            if (hours.Count == 0 || hours[^1] != hour)
            {
                hours.Add(hour);
            }
        }

        return hours;
    }
}
