namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// What a community knows of one of its devices to tell whether it is online. A community holds one per device, so the
/// nullable values are kept as plain fields with a sentinel (a nullable long or TimeSpan is 16 bytes, its value 8), and
/// the entry is a struct kept in the roster's dictionary itself: 56 bytes in the dictionary's entry, where an object
/// was 80 bytes plus a reference (and its own header) in the entry (benchmarks/RESULTS.md §42, §57).
/// </summary>
public struct RosterEntry(string kind)
{
    private long _lastSeenMs = long.MinValue;
    // Ticks of the provisioned interval; 0 when none (a provisioned interval is positive).
    private long _expectedTicks;
    private uint _inOrderReadings;

    public string Kind { get; set; } = kind;

    /// <summary>Ingest time of the newest reading; null when the device never reported.</summary>
    public long? LastSeenMs
    {
        readonly get => _lastSeenMs == long.MinValue ? null : _lastSeenMs;
        set => _lastSeenMs = value ?? long.MinValue;
    }

    public long FirstEventMs { get; set; } = long.MaxValue;

    public long LastEventMs { get; set; } = long.MinValue;

    /// <summary>
    /// Readings that advanced the device's event time (out-of-order ones do not tell its interval). Counted in 32 bits,
    /// stopping at 4 294 967 295 (136 years of a reading a second): with the flag beside it the entry is 56 bytes, not 64.
    /// </summary>
    public long InOrderReadings
    {
        readonly get => _inOrderReadings;
        set => _inOrderReadings = (uint)Math.Clamp(value, 0, uint.MaxValue);
    }

    /// <summary>From provisioning; overrides the observed interval.</summary>
    public TimeSpan? ExpectedInterval
    {
        readonly get => _expectedTicks > 0 ? TimeSpan.FromTicks(_expectedTicks) : null;
        set => _expectedTicks = value is { Ticks: > 0 } interval ? interval.Ticks : 0;
    }

    public bool Online { get; set; }

    /// <summary>Ingest time since which an offline device is silent (for the offline alarm).</summary>
    public long OfflineSinceMs { get; set; }

    /// <summary>Mean interval between in-order readings, or null before the second one.</summary>
    public readonly double? ObservedIntervalMs => InOrderReadings >= 2 ? (double)(LastEventMs - FirstEventMs) / (InOrderReadings - 1) : null;
}
