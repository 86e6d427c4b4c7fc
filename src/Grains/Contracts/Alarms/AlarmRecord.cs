namespace CitySense.Contracts.Alarms;

/// <summary>One alarm with its workflow and its audit trail (oldest change first, bounded by Alarms:AuditKept).</summary>
/// <param name="Alarm">The rule's latest event of this alarm (its figures: severity, peak, value, start, end).</param>
[GenerateSerializer, Immutable]
public sealed record AlarmRecord(
    [property: Id(0)] AlarmEvent Alarm,
    [property: Id(1)] AlarmStatus Status,
    [property: Id(2)] AlarmAuditEntry[] Audit)
{
    /// <summary>The change that made this version.</summary>
    public AlarmAuditEntry Last => Audit[^1];
}
