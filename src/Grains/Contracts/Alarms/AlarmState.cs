namespace CitySense.Contracts.Alarms;

/// <summary>An alarm's lifecycle: raised once, updated when its severity changes (its peak is tracked silently), cleared once.</summary>
public enum AlarmState : byte
{
    Raised,
    Updated,
    Cleared,
}
