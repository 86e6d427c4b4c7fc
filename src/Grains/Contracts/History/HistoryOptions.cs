namespace CitySense.Contracts.History;

/// <summary>How areas keep their history (docs/history.md). Section "History".</summary>
public sealed class HistoryOptions
{
    public const string Section = "History";

    /// <summary>Hourly buckets kept (at least 14 days).</summary>
    public TimeSpan HoursKept { get; set; } = TimeSpan.FromDays(15);

    /// <summary>Daily and monthly buckets kept, in months (at least 400 days of days, 5 years of months).</summary>
    public int MonthsKept { get; set; } = 62;

    /// <summary>
    /// How often an area moves what it folded since into history storage. What is not moved yet is still answered
    /// (queries merge it); on a single node a kill -9 loses it with the rest of the area's live state.
    /// </summary>
    public TimeSpan PushInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest span one request may ask for, per step (a clear 400 beyond).</summary>
    public int MaxHours { get; set; } = 24 * 15;

    public int MaxDays { get; set; } = 410;

    public int MaxMonths { get; set; } = 62;
}
