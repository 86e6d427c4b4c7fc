namespace CitySense.Grains.Domain.Areas;

/// <summary>What a community knows of one of its devices to tell whether it is online.</summary>
public sealed class RosterEntry(string kind)
{
    public string Kind { get; set; } = kind;

    /// <summary>Ingest time of the newest reading; null when the device never reported.</summary>
    public long? LastSeenMs { get; set; }

    public long FirstEventMs { get; set; } = long.MaxValue;

    public long LastEventMs { get; set; } = long.MinValue;

    /// <summary>Readings that advanced the device's event time (out-of-order ones do not tell its interval).</summary>
    public long InOrderReadings { get; set; }

    /// <summary>From provisioning; overrides the observed interval.</summary>
    public TimeSpan? ExpectedInterval { get; set; }

    public bool Online { get; set; }

    /// <summary>Ingest time since which an offline device is silent (for the offline alarm).</summary>
    public long OfflineSinceMs { get; set; }

    /// <summary>Mean interval between in-order readings, or null before the second one.</summary>
    public double? ObservedIntervalMs => InOrderReadings >= 2 ? (double)(LastEventMs - FirstEventMs) / (InOrderReadings - 1) : null;
}
