namespace CitySense.Contracts.Indicators;

[Flags]
public enum DeviceUpdateFlags : byte
{
    None = 0,
    /// <summary>The device's first accepted reading ever: it now counts as reporting.</summary>
    FirstSeen = 1,
    /// <summary>The device's first accepted reading in this event-time window.</summary>
    FirstInWindow = 2,
    /// <summary>The reading is the device's newest by event time, so its flow replaces the device's latest flow.</summary>
    Latest = 4,
    /// <summary>Same device and seq, or same ts, as a reading already applied: counted once as a duplicate, nothing else.</summary>
    Duplicate = 8,
    /// <summary>Older than the device's newest reading by more than the allowed lateness: counted as late, in no window.</summary>
    Late = 16,
    /// <summary>
    /// The reading closed a reporting gap: its consumption is the register's step over the gap, and history spreads it over
    /// the gap's hours as estimated (the corrections carry the earlier hours' shares, docs/history.md).
    /// </summary>
    Estimated = 32,
    /// <summary>The reading closed a reporting gap longer than Vee:MaxGap: its step was left where it is, unestimated.</summary>
    GapNotEstimated = 64,
}
