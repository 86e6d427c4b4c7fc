namespace CitySense.Contracts.Alarms;

/// <summary>What changed an alarm: its rule (raised, updated, cleared), an operator, or the escalation clock.</summary>
public enum AlarmAction : byte
{
    Raised,
    Updated,
    Cleared,
    Acknowledged,
    Assigned,
    Commented,
    ClearedByHand,
    Escalated,
}
