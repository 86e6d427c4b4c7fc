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
}
