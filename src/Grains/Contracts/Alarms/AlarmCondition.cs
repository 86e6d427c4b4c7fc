namespace CitySense.Contracts.Alarms;

/// <summary>
/// Where an alarm stands for operators (ISA-18.2 / IEC 62682): whether its condition is still there, and whether an
/// operator has acknowledged it. An alarm that clears unacknowledged stays on the operators' list until acknowledged;
/// <see cref="ClearedAcknowledged"/> is the end: the alarm leaves the list for the history.
/// </summary>
public enum AlarmCondition : byte
{
    ActiveUnacknowledged,
    ActiveAcknowledged,
    ClearedUnacknowledged,
    ClearedAcknowledged,
}
