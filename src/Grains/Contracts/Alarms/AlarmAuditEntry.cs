namespace CitySense.Contracts.Alarms;

/// <summary>One change of an alarm, kept in its audit trail: what, who and when.</summary>
/// <param name="Version">The alarm's version after this change (1 for the raise); a subscriber that already has it can skip it.</param>
/// <param name="By">The API key's name of the operator; "rule" for the alarm's rule, "escalation" for the escalation clock.</param>
/// <param name="AtMs">Server time of the change (Unix ms).</param>
/// <param name="Team">The team assigned (<see cref="AlarmAction.Assigned"/> only).</param>
/// <param name="Comment">The operator's comment, or the rule's message for rule changes.</param>
/// <param name="Condition">The alarm's condition after this change.</param>
[GenerateSerializer, Immutable]
public sealed record AlarmAuditEntry(
    [property: Id(0)] long Version,
    [property: Id(1)] AlarmAction Action,
    [property: Id(2)] string By,
    [property: Id(3)] long AtMs,
    [property: Id(4)] string? Team,
    [property: Id(5)] string? Comment,
    [property: Id(6)] AlarmCondition Condition);
