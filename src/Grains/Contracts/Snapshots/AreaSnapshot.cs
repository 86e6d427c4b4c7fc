namespace CitySense.Contracts.Snapshots;

/// <summary>Current indicators of a community, a district or the city.</summary>
[GenerateSerializer, Immutable]
public sealed record AreaSnapshot(
    [property: Id(0)] string Level,
    [property: Id(1)] string Key,
    [property: Id(2)] long WindowMs,
    [property: Id(3)] KindSnapshot[] Kinds,
    [property: Id(4)] string[] Children)
{
    /// <summary>Devices registered/reporting/online/offline and active alarms per kind.</summary>
    [Id(5)] public AreaSummary Summary { get; init; } = AreaSummary.Empty;

    /// <summary>Data quality of the newest windows, newest first.</summary>
    [Id(8)] public QualitySnapshot[] Quality { get; init; } = [];

    /// <summary>Communities only: the active alarms, oldest first.</summary>
    [Id(6)] public CitySense.Contracts.Alarms.AlarmEvent[] ActiveAlarms { get; init; } = [];

    /// <summary>Communities only: the most recent alarm events, newest first.</summary>
    [Id(7)] public CitySense.Contracts.Alarms.AlarmEvent[] RecentAlarms { get; init; } = [];
}
