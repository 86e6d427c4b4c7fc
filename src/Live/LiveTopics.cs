using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;

namespace CitySense.Live;

/// <summary>
/// MQTT topics of the republished updates (docs/live.md). Indicators: one retained topic per area and kind, so a new
/// MQTT subscriber gets the current figures at once (community topics unless Live:RetainCommunityIndicators is off; on
/// the embedded broker the silo serves those itself, <see cref="KeptCommunityFigures"/>).
/// Alarms: one topic per area level, for every alarm inside it.
/// </summary>
public static class LiveTopics
{
    /// <summary>{prefix}/city/indicators/{kind}, {prefix}/district/{d}/indicators/{kind}, {prefix}/community/{d}/{c}/indicators/{kind}.</summary>
    public static string Indicators(string prefix, IndicatorUpdate u) => u.Level switch
    {
        LiveLevels.City => $"{prefix}/city/indicators/{u.Figures.Kind}",
        LiveLevels.District => $"{prefix}/district/{u.District}/indicators/{u.Figures.Kind}",
        _ => CommunityIndicators(prefix, u.Key, u.Figures.Kind),
    };

    /// <summary>{prefix}/community/{d}/{c}/indicators/{kind}, from the community's key "{d}/{c}".</summary>
    public static string CommunityIndicators(string prefix, string communityKey, string kind) =>
        $"{prefix}/community/{communityKey}/indicators/{kind}";

    /// <summary>The alarm's community (with <paramref name="community"/>), district and city topics.</summary>
    public static string[] Alarms(string prefix, AlarmEvent a, bool community = true)
    {
        var district = $"{prefix}/district/{a.District}/alarms";
        var city = $"{prefix}/city/alarms";
        return community ? [$"{prefix}/community/{a.District}/{a.Community}/alarms", district, city] : [district, city];
    }
}
