using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Snapshots;

/// <summary>Current state of one device.</summary>
/// <param name="Register">Last value of the cumulative register, if the kind has one.</param>
/// <param name="Consumption">Sum of register deltas since the device was first seen.</param>
[GenerateSerializer, Immutable]
public sealed record DeviceSnapshot(
    [property: Id(0)] string Device,
    [property: Id(1)] string District,
    [property: Id(2)] string Community,
    [property: Id(3)] string Kind,
    [property: Id(4)] long FirstSeenMs,
    [property: Id(5)] long LastTimestampMs,
    [property: Id(6)] ulong? LastSeq,
    [property: Id(7)] long Accepted,
    [property: Id(8)] long Rejected,
    [property: Id(9)] double? Register,
    [property: Id(10)] decimal? Consumption,
    [property: Id(11)] MetricSample[] Latest)
{
    /// <summary>Readings counted once more as duplicates (same seq or ts as one already applied).</summary>
    [Id(12)] public long Duplicates { get; init; }

    /// <summary>Readings older than the device's newest by more than the allowed lateness.</summary>
    [Id(13)] public long Late { get; init; }

    /// <summary>Reporting gaps whose consumption was spread over their hours as estimated (docs/history.md).</summary>
    [Id(14)] public long GapsEstimated { get; init; }

    /// <summary>Reporting gaps longer than Vee:MaxGap, left unestimated.</summary>
    [Id(15)] public long GapsNotEstimated { get; init; }
}
