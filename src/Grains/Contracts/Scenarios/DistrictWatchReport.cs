namespace CitySense.Contracts.Scenarios;

/// <summary>What the district watch has seen since it started.</summary>
/// <param name="Updates">Indicator updates received (district and community level).</param>
/// <param name="WaterFlowByCommunity">Latest water flowSum (m³/h) of each community that reported one.</param>
/// <param name="BusiestCommunity">The community with the largest latest water flowSum, if any.</param>
/// <param name="ActiveAlarms">Ids of the district's alarms raised and not yet cleared.</param>
/// <param name="AlarmEvents">Alarm events received.</param>
[GenerateSerializer, Immutable]
public sealed record DistrictWatchReport(
    [property: Id(0)] string District,
    [property: Id(1)] long Updates,
    [property: Id(2)] Dictionary<string, double> WaterFlowByCommunity,
    [property: Id(3)] string? BusiestCommunity,
    [property: Id(4)] string[] ActiveAlarms,
    [property: Id(5)] long AlarmEvents);
