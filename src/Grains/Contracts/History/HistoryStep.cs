namespace CitySense.Contracts.History;

/// <summary>The length of one history bucket: a local hour, day or month of the city's time zone (Alarms:TimeZone).</summary>
public enum HistoryStep
{
    Hour,
    Day,
    Month,
}
