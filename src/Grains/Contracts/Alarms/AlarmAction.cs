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

    /// <summary>The rule raised the alarm again after it cleared, before anyone acknowledged it (ISA-18.2's return to alarm).</summary>
    RaisedAgain,

    /// <summary>
    /// The system closed a cleared, unacknowledged alarm: its community's list held more than Alarms:ListKept alarms and this
    /// one had cleared longest ago. Nobody acknowledged it (the status's acknowledgedBy stays empty).
    /// </summary>
    ClosedBySystem,
}
