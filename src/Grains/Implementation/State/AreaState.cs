using CitySense.Contracts.Alarms;
using CitySense.Contracts.Snapshots;

namespace CitySense.Grains.State;

/// <summary>
/// What an area grain stores (storage "state"): its open windows and totals, its consumption ledger, its children and
/// their counts, and for a community its roster and alarms. Device grains store nothing per reading: they restore from
/// their community's ledger (<see cref="Contracts.Indicators.DeviceCheckpoint"/>).
/// </summary>
[GenerateSerializer]
public sealed class AreaState
{
    [Id(0)] public KindState[] Kinds { get; set; } = [];

    [Id(1)] public Dictionary<string, LedgerEntry> Ledger { get; set; } = [];

    [Id(2)] public string[] Children { get; set; } = [];

    [Id(3)] public Dictionary<string, AreaSummary> ChildSummaries { get; set; } = [];

    [Id(4)] public RosterEntryState[] Roster { get; set; } = [];

    [Id(5)] public AlarmEvent[] ActiveAlarms { get; set; } = [];

    [Id(6)] public AlarmEvent[] RecentAlarms { get; set; } = [];

    /// <summary>Alarm events not yet written to the time-series database.</summary>
    [Id(7)] public AlarmEvent[] UnwrittenAlarms { get; set; } = [];

    /// <summary>The area's change count (orders its reports upward).</summary>
    [Id(8)] public long Version { get; set; }

    /// <summary>The most recent batches applied, so a retried call after a failure is not applied twice.</summary>
    [Id(9)] public AppliedBatch[] Applied { get; set; } = [];

    /// <summary>History folded since the area's last push (docs/history.md).</summary>
    [Id(10)] public PendingHistoryState? History { get; set; }

    /// <summary>A community's suspect readings held for an operator, and its recent decisions (the audit trail).</summary>
    [Id(11)] public CitySense.Contracts.Vee.SuspectReading[] HeldSuspects { get; set; } = [];

    [Id(12)] public CitySense.Contracts.Vee.SuspectReading[] DecidedSuspects { get; set; } = [];
}
