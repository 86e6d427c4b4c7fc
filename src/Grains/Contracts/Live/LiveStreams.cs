using Orleans.Runtime;
using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Live;

/// <summary>
/// The Orleans streams live updates are published on (docs/live.md). One stream per area and level: a community's
/// stream carries that community; a district's carries the district and its communities; the city's carries
/// everything. Alarms have their own namespaces, so a grain can follow alarms without the indicator traffic.
/// </summary>
public static class LiveStreams
{
    /// <summary>Name of the memory stream provider (silos need a "PubSubStore" grain storage for it).</summary>
    public const string Provider = "citysense-live";

    public const string CityIndicators = "citysense.indicators.city";
    public const string DistrictIndicators = "citysense.indicators.district";
    public const string CommunityIndicators = "citysense.indicators.community";
    public const string CityAlarms = "citysense.alarms.city";
    public const string DistrictAlarms = "citysense.alarms.district";
    public const string CommunityAlarms = "citysense.alarms.community";

    /// <summary>Every indicator update of the city, its districts and communities (<see cref="IndicatorUpdate"/>).</summary>
    public static StreamId CityIndicatorsStream() => StreamId.Create(CityIndicators, AreaKeys.City);

    /// <summary>Indicator updates of one district and of its communities.</summary>
    public static StreamId DistrictIndicatorsStream(string district) => StreamId.Create(DistrictIndicators, district);

    /// <summary>Indicator updates of one community.</summary>
    public static StreamId CommunityIndicatorsStream(string district, string community) =>
        StreamId.Create(CommunityIndicators, AreaKeys.Community(district, community));

    /// <summary>Every alarm event of the city (<see cref="AlarmUpdate"/>).</summary>
    public static StreamId CityAlarmsStream() => StreamId.Create(CityAlarms, AreaKeys.City);

    public static StreamId DistrictAlarmsStream(string district) => StreamId.Create(DistrictAlarms, district);

    public static StreamId CommunityAlarmsStream(string district, string community) =>
        StreamId.Create(CommunityAlarms, AreaKeys.Community(district, community));
}
