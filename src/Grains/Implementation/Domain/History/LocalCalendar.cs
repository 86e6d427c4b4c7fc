using System.Globalization;

namespace CitySense.Grains.Domain.History;

/// <summary>
/// Local hours, days and months of the city's time zone as Unix-ms instants. An hour bucket is the hour of local wall
/// time that contains an instant, so a day has 23 or 25 hours across a daylight-saving change. Zones whose offsets
/// change by less than an hour (Lord Howe's 30 minutes) get one short or long hour at the change.
/// </summary>
public sealed class LocalCalendar(TimeZoneInfo zone)
{
    public const long HourMs = 3_600_000;

    public TimeZoneInfo Zone { get; } = zone;

    // The last hour found: readings arrive in runs within one hour, and an offset lookup costs far more than a compare.
    private long _cachedHourStart = long.MinValue;
    private long _cachedDayHour = long.MinValue;
    private DateOnly _cachedDay;

    /// <summary>The start of the local hour containing <paramref name="utcMs"/>.</summary>
    public long HourStart(long utcMs)
    {
        var cached = _cachedHourStart;
        if (utcMs >= cached && utcMs - cached < HourMs && cached != long.MinValue)
        {
            return cached;
        }

        var local = utcMs + OffsetMs(utcMs);
        var start = utcMs - (((local % HourMs) + HourMs) % HourMs);
        _cachedHourStart = start;
        return start;
    }

    /// <summary>The local date of an instant (a local hour never straddles midnight, so it is its hour's date).</summary>
    public DateOnly Day(long utcMs)
    {
        var hour = HourStart(utcMs);
        if (hour != _cachedDayHour)
        {
            _cachedDay = DateOnly.FromDateTime(Local(hour));
            _cachedDayHour = hour;
        }

        return _cachedDay;
    }

    /// <summary>The first instant of a local day: midnight, or the end of a daylight-saving gap that swallows midnight.</summary>
    public long DayStart(DateOnly day) => Instant(day.ToDateTime(TimeOnly.MinValue));

    public long DayEnd(DateOnly day) => DayStart(day.AddDays(1));

    /// <summary>Months counted from year 0 (year × 12 + month − 1): a number that orders and subtracts.</summary>
    public static int MonthKey(DateOnly day) => (day.Year * 12) + day.Month - 1;

    public static DateOnly MonthFirstDay(int monthKey) => new(monthKey / 12, (monthKey % 12) + 1, 1);

    public long MonthStart(int monthKey) => DayStart(MonthFirstDay(monthKey));

    public long MonthEnd(int monthKey) => MonthStart(monthKey + 1);

    /// <summary>Local wall time of an instant with its offset, ISO 8601 ("2026-03-29T03:00:00+02:00").</summary>
    public string Label(long utcMs) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(utcMs), Zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>True when the instant's local time of day is in [start, end) (a window across midnight wraps).</summary>
    public bool InLocalWindow(long utcMs, TimeSpan start, TimeSpan end)
    {
        var timeOfDay = Local(utcMs).TimeOfDay;
        return start <= end ? timeOfDay >= start && timeOfDay < end : timeOfDay >= start || timeOfDay < end;
    }

    private DateTime Local(long utcMs) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(utcMs), Zone).DateTime;

    private long OffsetMs(long utcMs) => (long)Zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(utcMs)).TotalMilliseconds;

    private long Instant(DateTime local) => CitySense.Contracts.History.LocalInstants.Of(Zone, local).ToUnixTimeMilliseconds();
}
