using CitySense.Contracts.Telemetry;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;

namespace CitySense.Live;

/// <summary>
/// What an SSE or WebSocket subscriber asked for (docs/live.md): an area (district, or district and community), a
/// kind, the indicators to include, and the least alarm severity. Null means "any".
/// </summary>
public sealed record LiveFilter(string? District, string? Community, string? Kind, IReadOnlySet<string>? Indicators, AlarmSeverity? MinSeverity)
{
    public static LiveFilter All { get; } = new(null, null, null, null, null);

    /// <summary>Parses the query parameters; the error names the parameter and what it must be.</summary>
    public static bool TryParse(string? district, string? community, string? kind, string? indicator, string? severity, out LiveFilter filter, out string error)
    {
        filter = All;
        error = string.Empty;
        if (district is not null && !Ids.IsValid(district))
        {
            error = "district must match [A-Za-z0-9_.-]{1,64}.";
            return false;
        }

        if (community is not null && (district is null || !Ids.IsValid(community)))
        {
            error = district is null ? "community needs district (community ids are unique within a district)." : "community must match [A-Za-z0-9_.-]{1,64}.";
            return false;
        }

        if (kind is not null && !Ids.IsValid(kind))
        {
            error = "kind must match [A-Za-z0-9_.-]{1,64}.";
            return false;
        }

        HashSet<string>? indicators = null;
        if (!string.IsNullOrWhiteSpace(indicator))
        {
            indicators = new HashSet<string>(indicator.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
        }

        AlarmSeverity? min = null;
        if (severity is not null)
        {
            if (!Enum.TryParse<AlarmSeverity>(severity, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(severity, out _))
            {
                error = "severity must be info, warning or critical.";
                return false;
            }

            min = parsed;
        }

        filter = new LiveFilter(district, community, kind, indicators, min);
        return true;
    }

    public bool Matches(ILiveUpdate update) => update switch
    {
        IndicatorUpdate u => Matches(u),
        AlarmUpdate a => Matches(a.Alarm),
        _ => false,
    };

    public bool Matches(IndicatorUpdate update) => Matches(update.Level, update.Key, update.Figures.Kind);

    /// <summary>The figures of <paramref name="kind"/> in the area <paramref name="level"/>/<paramref name="key"/> (see <see cref="IndicatorUpdate.Key"/>).</summary>
    public bool Matches(string level, string key, string kind)
    {
        if (Kind is not null && !string.Equals(kind, Kind, StringComparison.Ordinal))
        {
            return false;
        }

        if (District is null)
        {
            return true;
        }

        if (level == LiveLevels.City)
        {
            return false;
        }

        var slash = key.IndexOf('/');
        var district = level == LiveLevels.District || slash < 0 ? key.AsSpan() : key.AsSpan(0, slash);
        if (!district.SequenceEqual(District))
        {
            return false;
        }

        return Community is null || (level == LiveLevels.Community && slash >= 0 && key.AsSpan(slash + 1).SequenceEqual(Community));
    }

    public bool Matches(AlarmEvent alarm) =>
        (District is null || string.Equals(alarm.District, District, StringComparison.Ordinal))
        && (Community is null || string.Equals(alarm.Community, Community, StringComparison.Ordinal))
        && (Kind is null || string.Equals(alarm.Kind, Kind, StringComparison.Ordinal))
        && (MinSeverity is null || alarm.Severity >= MinSeverity);

    public override string ToString() =>
        string.Join('&', new[]
        {
            District is null ? null : $"district={District}",
            Community is null ? null : $"community={Community}",
            Kind is null ? null : $"kind={Kind}",
            Indicators is null ? null : $"indicator={string.Join(',', Indicators)}",
            MinSeverity is null ? null : $"severity={MinSeverity}",
        }.Where(p => p is not null));
}
