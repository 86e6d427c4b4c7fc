using CitySense.Contracts.Alarms;

namespace CitySense.Grains.State;

/// <summary>
/// A community's alarms changed since its workflow's full copy (<see cref="AlarmLogState"/>) was written (storage
/// "alarms", state name "alarmjournal"): the latest version of each, in the order of their last change. It goes on from
/// the full copy of the same <see cref="Generation"/>; a journal of an older generation was folded into the full copy
/// (written last, before a failure could write the empty journal) and is ignored.
/// </summary>
[GenerateSerializer]
public sealed class AlarmJournalState
{
    [Id(0)] public long Generation { get; set; }

    [Id(1)] public AlarmRecord[] Changes { get; set; } = [];

    [Id(2)] public long Escalations { get; set; }
}
