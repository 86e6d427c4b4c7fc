using System.Globalization;
using System.Text.Json.Nodes;
using CitySense.Contracts.History;
using static CitySense.Api.Ngsi.NgsiAttributes;

namespace CitySense.Api.Ngsi;

/// <summary>
/// Temporal representations of an entity from its history buckets: one Property instance per bucket (observedAt = the
/// bucket's start), or NGSI-LD's aggregated representation ([value, startAt, endAt] per period and method).
/// </summary>
public static class NgsiTemporal
{
    /// <param name="lastN">Keep only the newest N instances (or periods) of each attribute.</param>
    public static JsonObject Entity(string id, string type, IEnumerable<NgsiSeries> series, NgsiAggregation? aggregation, int? lastN)
    {
        var entity = new JsonObject { ["id"] = id, ["type"] = type };
        foreach (var s in series)
        {
            entity[s.Attribute] = aggregation is null ? Instances(s, lastN) : Aggregated(s, aggregation, lastN);
        }

        return entity;
    }

    private static JsonArray Instances(NgsiSeries series, int? lastN)
    {
        var kept = lastN is { } n ? series.Instances.TakeLast(n) : series.Instances;
        return new JsonArray(kept.Select(i => (JsonNode?)Property(i.Value, i.StartMs, series.UnitCode)).ToArray());
    }

    private static JsonObject Aggregated(NgsiSeries series, NgsiAggregation aggregation, int? lastN)
    {
        var periods = Periods(series.Instances, aggregation.Period);
        if (lastN is { } n)
        {
            periods = periods.TakeLast(n).ToList();
        }

        var attribute = new JsonObject { ["type"] = "Property" };
        foreach (var method in aggregation.Methods)
        {
            attribute[method] = new JsonArray(periods.Select(p => (JsonNode?)new JsonArray(
                Aggregate(method, p), Instant(p[0].StartMs), Instant(p[^1].EndMs))).ToArray());
        }

        if (series.UnitCode is not null)
        {
            attribute["unitCode"] = series.UnitCode;
        }

        return attribute;
    }

    /// <summary>The value of one method over one period's buckets; totalCount counts buckets with data.</summary>
    public static JsonNode Aggregate(string method, IReadOnlyList<NgsiInstance> period) => method switch
    {
        "totalCount" => JsonValue.Create(period.Count),
        "sum" => period.Sum(i => i.Value),
        "avg" => period.Sum(i => i.Value) / period.Count,
        "min" => period.Min(i => i.Value),
        "max" => period.Max(i => i.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not an aggregation method CitySense computes."),
    };

    /// <summary>
    /// Buckets grouped into consecutive periods of the duration, counted from the first bucket's local hour, day or month
    /// (so a missing bucket does not shift the periods after it); one period for the whole range without a duration.
    /// </summary>
    public static List<IReadOnlyList<NgsiInstance>> Periods(IReadOnlyList<NgsiInstance> instances, NgsiDuration? period)
    {
        if (instances.Count == 0)
        {
            return [];
        }

        if (period is not { } d)
        {
            return [instances];
        }

        var first = instances[0];
        return instances
            .GroupBy(i => Index(first, i, d.Step) / d.Count)
            .OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<NgsiInstance>)g.ToArray())
            .ToList();
    }

    private static long Index(NgsiInstance first, NgsiInstance i, HistoryStep step)
    {
        switch (step)
        {
            case HistoryStep.Hour:
                return (i.StartMs - first.StartMs) / 3_600_000;
            case HistoryStep.Day:
                return LocalDate(i).DayNumber - LocalDate(first).DayNumber;
            default:
                var (a, b) = (LocalDate(first), LocalDate(i));
                return (b.Year - a.Year) * 12 + b.Month - a.Month;
        }
    }

    private static DateOnly LocalDate(NgsiInstance i) => DateOnly.ParseExact(i.LocalStart[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An area's consumption per kind as series (waterConsumption, heatConsumption, gasConsumption).</summary>
    public static IReadOnlyList<NgsiSeries> AreaSeries(IEnumerable<HistoryPoint> points) => points
        .Where(p => NgsiEntities.ConsumptionAttribute(p.Kind) is not null)
        .GroupBy(p => p.Kind, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new NgsiSeries(NgsiEntities.ConsumptionAttribute(g.Key)!, NgsiUnits.Register(g.Key),
            g.OrderBy(p => p.StartMs).Select(p => new NgsiInstance(p.StartMs, p.EndMs, p.LocalStart, p.Consumption)).ToArray()))
        .ToArray();

    /// <summary>A meter's consumption per local day or month as one series (waterConsumption or totalConsumption).</summary>
    public static NgsiSeries MeterSeries(string kind, IEnumerable<MeterDay> days) =>
        new(kind == Contracts.Telemetry.Kinds.Water ? "waterConsumption" : "totalConsumption", NgsiUnits.Register(kind),
            days.OrderBy(d => d.StartMs).Select(d => new NgsiInstance(d.StartMs, d.EndMs, d.LocalStart, d.Consumption)).ToArray());
}
