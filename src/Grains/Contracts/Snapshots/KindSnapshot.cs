namespace CitySense.Contracts.Snapshots;

/// <summary>The indicators of one kind in one area.</summary>
/// <param name="Consumption">Sum of register deltas since start (m³ or kWh); null for kinds without a register.</param>
/// <param name="FlowSum">Sum of every device's latest flow (m³/h); null when no device reported a flow.</param>
/// <param name="DevicesReporting">Devices that sent at least one accepted reading since start.</param>
[GenerateSerializer, Immutable]
public sealed record KindSnapshot(
    [property: Id(0)] string Kind,
    [property: Id(1)] decimal? Consumption,
    [property: Id(2)] double? FlowSum,
    [property: Id(3)] long DevicesReporting,
    [property: Id(4)] long Accepted,
    [property: Id(5)] long Rejected,
    [property: Id(6)] MetricStats[] Metrics,
    [property: Id(7)] WindowSnapshot[] Windows)
{
    [Id(8)] public long Duplicates { get; init; }

    [Id(9)] public long Late { get; init; }

    /// <summary>Readings within the allowed lateness whose window had already left memory: in the totals only.</summary>
    [Id(10)] public long LateBeyondWindows { get; init; }
}
