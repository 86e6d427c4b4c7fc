using System.Globalization;
using CitySense.Api.Endpoints;
using CitySense.Contracts.History;

namespace CitySense.Api.History;

/// <summary>
/// The query string of a history request, checked: step 1h, 1d or 1mo; from and to as ISO 8601 instants
/// ("2026-12-01T00:00:00+08:00", "…Z") or local dates of the city ("2026-12-01" is its local midnight); the span within the
/// step's limit (History:MaxHours, MaxDays, MaxMonths). Defaults: to = now, from = a day, 30 days or a year before.
/// </summary>
public static class HistoryRange
{
    public static (HistoryQuery? Query, ProblemBody? Problem) Parse(string? kind, string? from, string? to, string? step, HistoryStep defaultStep,
        TimeZoneInfo zone, HistoryOptions options, DateTimeOffset now)
    {
        var chosen = defaultStep;
        if (step is not null && !HistorySteps.TryParse(step, out chosen))
        {
            return (null, new ProblemBody("invalid-step", $"step must be 1h, 1d or 1mo, not '{step}'."));
        }

        if (kind is not null && !Contracts.Telemetry.Ids.IsValid(kind))
        {
            return (null, ProblemBody.InvalidId("kind"));
        }

        if (!TryInstant(to, zone, out var end, now))
        {
            return (null, InvalidTime("to", to));
        }

        var defaultFrom = chosen switch
        {
            HistoryStep.Hour => end.AddDays(-1),
            HistoryStep.Day => end.AddDays(-30),
            _ => end.AddYears(-1),
        };
        if (!TryInstant(from, zone, out var start, defaultFrom))
        {
            return (null, InvalidTime("from", from));
        }

        if (start >= end)
        {
            return (null, new ProblemBody("invalid-range", "from must be before to."));
        }

        var span = end - start;
        var (limit, unit, allowed) = chosen switch
        {
            HistoryStep.Hour => (options.MaxHours, "hours", span <= TimeSpan.FromHours(options.MaxHours)),
            HistoryStep.Day => (options.MaxDays, "days", span <= TimeSpan.FromDays(options.MaxDays)),
            // A month is at most 31 days.
            _ => (options.MaxMonths, "months", span <= TimeSpan.FromDays(31.0 * options.MaxMonths)),
        };
        if (!allowed)
        {
            return (null, new ProblemBody("range-too-long", $"At most {limit} {unit} per request with step {HistorySteps.Name(chosen)}; ask in parts."));
        }

        return (new HistoryQuery(kind, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), chosen), null);
    }

    private static ProblemBody InvalidTime(string name, string? text) =>
        new("invalid-time", $"{name} must be an ISO 8601 instant with an offset (2026-12-01T08:00:00+08:00 or …Z) or a local date (2026-12-01), not '{text}'.");

    private static bool TryInstant(string? text, TimeZoneInfo zone, out DateTimeOffset instant, DateTimeOffset fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            instant = fallback;
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            instant = LocalInstants.Of(zone, day.ToDateTime(TimeOnly.MinValue));
            return true;
        }

        // An instant must say its offset: a bare local time would depend on the server's zone.
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && (text[^6] == '+' || text[^6] == '-'));
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant) && hasOffset;
    }
}
