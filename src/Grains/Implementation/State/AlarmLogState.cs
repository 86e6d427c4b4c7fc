using CitySense.Contracts.Alarms;

namespace CitySense.Grains.State;

/// <summary>
/// A community's alarm workflow in full (storage "alarms": Redis in a cluster, files on a single node): open alarms with
/// their audit trails, the closed ones kept for the history, and the escalation count. Changes since it was written are
/// in the community's <see cref="AlarmJournalState"/> of the same <see cref="Generation"/>; it is written again when the
/// journal has grown (Domain/Alarms/AlarmJournal.cs). Apart from the area state, which is written per batch and is
/// memory only on a single node.
/// </summary>
[GenerateSerializer]
public sealed class AlarmLogState
{
    [Id(0)] public AlarmRecord[] Open { get; set; } = [];

    [Id(1)] public AlarmRecord[] Closed { get; set; } = [];

    [Id(2)] public long Escalations { get; set; }

    /// <summary>How many times the full copy was written: the journal that goes on from it carries the same number.</summary>
    [Id(3)] public long Generation { get; set; }
}
