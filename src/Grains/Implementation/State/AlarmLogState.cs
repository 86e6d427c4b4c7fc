using CitySense.Contracts.Alarms;

namespace CitySense.Grains.State;

/// <summary>
/// A community's alarm workflow (storage "alarms": Redis in a cluster, files on a single node), written whenever an
/// alarm changes: open alarms with their audit trails, the closed ones kept for the history, and the escalation count.
/// Apart from the area state, which is written per batch and is memory only on a single node.
/// </summary>
[GenerateSerializer]
public sealed class AlarmLogState
{
    [Id(0)] public AlarmRecord[] Open { get; set; } = [];

    [Id(1)] public AlarmRecord[] Closed { get; set; } = [];

    [Id(2)] public long Escalations { get; set; }
}
