namespace CitySense.Contracts.Alarms;

/// <summary>An alarm's lifecycle: raised once, updated when its severity or peak changes, cleared once.</summary>
public enum AlarmState : byte
{
    Raised,
    Updated,
    Cleared,
}
