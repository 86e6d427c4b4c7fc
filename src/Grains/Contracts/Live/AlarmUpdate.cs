using CitySense.Contracts.Alarms;

namespace CitySense.Contracts.Live;

/// <summary>
/// One alarm change as published live, numbered in the same sequence as <see cref="IndicatorUpdate"/>: the rule's
/// figures (<see cref="Alarm"/>), and, from the community's alarm workflow, where the alarm stands and what changed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AlarmUpdate(
    [property: Id(0)] long Seq,
    [property: Id(1)] long AtMs,
    [property: Id(2)] AlarmEvent Alarm) : ILiveUpdate
{
    /// <summary>The alarm's workflow after this change; null for an event announced without one (a bare rule event).</summary>
    [Id(3)] public AlarmStatus? Status { get; init; }

    /// <summary>The audit entry of this change (action, who, when, team, comment).</summary>
    [Id(4)] public AlarmAuditEntry? Change { get; init; }

    /// <summary>Whether the alarm has left the operators' list: cleared and acknowledged (a bare event: cleared).</summary>
    public bool Closed => Status?.Closed ?? Alarm.State == AlarmState.Cleared;
}
