namespace CitySense.Contracts.Indicators;

/// <summary>How indicators are windowed and written. Bound from configuration section "Indicators".</summary>
public sealed class IndicatorOptions
{
    public const string Section = "Indicators";

    /// <summary>Length of the tumbling event-time windows. Windows are aligned to the Unix epoch.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often area grains write the windows that changed since their last write.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Windows kept in memory per area and kind (the API shows the newest 10; older ones are dropped once written).</summary>
    public int WindowsKept { get; set; } = 60;

    /// <summary>
    /// Windows kept per community and kind, at most <see cref="WindowsKept"/>. A city has a hundred times more communities
    /// than districts: at 5 000 communities 60 windows of every kind were 0.8 GB after an hour, 15 were 0.2 GB
    /// (benchmarks/RESULTS.md §60), and every window is in InfluxDB once written. Never fewer than
    /// <see cref="AllowedLateness"/> needs (see <see cref="ForCommunities"/>), so a reading within the lateness finds its
    /// community window; the default is that (5 minutes and the current window) and one more, for devices whose clocks
    /// run a little ahead of their neighbours'.
    /// </summary>
    public int CommunityWindowsKept { get; set; } = 7;

    /// <summary>
    /// A reading this much older than its device's newest still lands in its own window (windows already written are
    /// rewritten); an older one is counted as late and left out of window figures.
    /// </summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Data quality: a reading is timely when it reached CitySense within this long after its event time.</summary>
    public TimeSpan TimelyWithin { get; set; } = TimeSpan.FromSeconds(60);

    public long WindowMs => (long)Window.TotalMilliseconds;

    /// <summary>
    /// These options as a community applies them: <see cref="WindowsKept"/> is <see cref="CommunityWindowsKept"/>, raised
    /// to the windows the allowed lateness spans (plus the current one) and capped at <see cref="WindowsKept"/>.
    /// </summary>
    public IndicatorOptions ForCommunities()
    {
        var copy = (IndicatorOptions)MemberwiseClone();
        var lateness = WindowMs > 0 ? (long)Math.Ceiling(AllowedLateness.TotalMilliseconds / WindowMs) + 1 : 1;
        copy.WindowsKept = (int)Math.Min(WindowsKept, Math.Max(CommunityWindowsKept, lateness));
        return copy;
    }

    public long WindowStart(long timestampMs)
    {
        var w = WindowMs;
        // Floor division so that (theoretical) negative timestamps still land in the window that contains them.
        return timestampMs - (((timestampMs % w) + w) % w);
    }
}
