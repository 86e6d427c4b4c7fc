using System.Collections.Concurrent;
using CitySense.Contracts.Alarms;

namespace CitySense.Grains.Domain.Alarms;

/// <summary>The configured city time zone, resolved once (a million device grains must not each look it up).</summary>
public static class CityTimeZone
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    public static TimeZoneInfo Of(AlarmOptions options) => Zones.GetOrAdd(options.TimeZone, TimeZoneInfo.FindSystemTimeZoneById);
}
