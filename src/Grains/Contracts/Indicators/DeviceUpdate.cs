using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Indicators;

/// <summary>
/// What one reading changed on its device, expressed as deltas so that community, district and city
/// aggregates fold it in without re-reading their devices.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct DeviceUpdate(
    [property: Id(0)] string Device,
    [property: Id(1)] string Kind,
    [property: Id(2)] long TimestampMs,
    [property: Id(3)] long WindowStartMs,
    [property: Id(4)] decimal ConsumptionDelta,
    [property: Id(5)] double FlowDelta,
    [property: Id(6)] DeviceUpdateFlags Flags,
    [property: Id(7)] MetricSample[] Metrics,
    [property: Id(8)] RejectionReason Rejection)
{
    /// <summary>Corrections to earlier windows (empty for nearly every reading).</summary>
    [Id(9)] public WindowCorrection[] Corrections { get; init; } = [];

    /// <summary>Alarm lifecycle steps this reading caused (empty for nearly every reading).</summary>
    [Id(11)] public CitySense.Contracts.Alarms.AlarmEvent[] Alarms { get; init; } = [];

    /// <summary>Event time minus ingest time is the reading's lag; kept for timeliness.</summary>
    [Id(10)] public long ReceivedAtMs { get; init; }

    /// <summary>
    /// The device's consumption since it was first seen, after this reading (duplicates and late readings carry it too).
    /// Registers are cumulative, so this total is what makes areas exact after a failure: an area counts what this total
    /// grew by since the last one it saw from the device, whatever was lost or redelivered in between (docs/operations.md).
    /// </summary>
    [Id(12)] public decimal Cumulative { get; init; }

    /// <summary>The device's register value after this reading (its newest), or null for kinds without a register.</summary>
    [Id(13)] public decimal? Register { get; init; }

    /// <summary>Event time of the device's newest reading after this one was applied.</summary>
    [Id(14)] public long NewestMs { get; init; }

    /// <summary>Ingest time of the device's first reading.</summary>
    [Id(15)] public long FirstSeenMs { get; init; }

    /// <summary>
    /// <see cref="Cumulative"/> when the device started counting at its current place: 0, unless it moved there (what it
    /// counted before belongs to its old community).
    /// </summary>
    [Id(16)] public decimal CumulativeAtPlace { get; init; }

    /// <summary>The device's latest flow after this reading (duplicates carry it too), or null when it has none.</summary>
    [Id(17)] public double? CurrentFlow { get; init; }

    /// <summary>
    /// A register reading held as suspect (<see cref="Vee.SuspectState.Held"/>: its step counts nowhere yet), or an
    /// operator's acceptance releasing one (<see cref="Vee.SuspectState.Accepted"/>: the step comes as a correction to
    /// the reading's window, and nothing else of the update counts again), or a confirmation of an earlier held reading's
    /// level (<see cref="Vee.SuspectReading.IsConfirmation"/>: this reading continued from it and is measured as usual).
    /// Null for nearly every reading.
    /// </summary>
    [Id(18)] public Vee.SuspectReading? Suspect { get; init; }

    /// <summary>An operator's release of a held reading: only its consumption counts, not another reading.</summary>
    public bool IsRelease => Suspect is { State: Vee.SuspectState.Accepted };

    /// <summary>Not rejected: applied, or counted as a duplicate or late reading.</summary>
    public bool Accepted => Rejection == RejectionReason.None;

    /// <summary>Applied to window figures (neither duplicate nor late).</summary>
    public bool CountsInWindow => Accepted && (Flags & (DeviceUpdateFlags.Duplicate | DeviceUpdateFlags.Late)) == 0;
}
