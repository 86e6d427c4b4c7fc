namespace CitySense.Contracts.Alarms;

public enum AlarmSeverity : byte
{
    Info,
    Warning,
    Critical,
}
