namespace CitySense.Contracts.Alarms;

/// <summary>An alarm's workflow as operators see it, apart from its rule's figures (<see cref="AlarmEvent"/>).</summary>
/// <param name="Version">Increases by one with every change (audit entry) of this alarm.</param>
/// <param name="EscalatedAtMs">When the alarm escalated (critical and unacknowledged past Alarms:EscalateAfter); null if it did not.</param>
/// <param name="ClosedAtMs">When it became cleared and acknowledged (left the operators' list for the history).</param>
[GenerateSerializer, Immutable]
public sealed record AlarmStatus(
    [property: Id(0)] string AlarmId,
    [property: Id(1)] AlarmCondition Condition,
    [property: Id(2)] long Version,
    [property: Id(3)] long RaisedAtMs,
    [property: Id(4)] string? AcknowledgedBy,
    [property: Id(5)] long? AcknowledgedAtMs,
    [property: Id(6)] string? AssignedTo,
    [property: Id(7)] long? EscalatedAtMs,
    [property: Id(8)] long? ClosedAtMs)
{
    public bool Closed => Condition == AlarmCondition.ClearedAcknowledged;

    /// <summary>Times the rule raised this alarm again after it cleared and before it was acknowledged.</summary>
    [Id(9)] public int RaisedAgain { get; init; }

    /// <summary>
    /// The rule's id of the alarm's current activation when it was raised again (its updates and clear carry that id);
    /// null while the alarm's own id is the rule's.
    /// </summary>
    [Id(10)] public string? RuleEventId { get; init; }
}
