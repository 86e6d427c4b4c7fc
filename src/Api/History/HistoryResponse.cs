using CitySense.Contracts.History;

namespace CitySense.Api.History;

/// <summary>An area's history: buckets of <paramref name="Step"/> in [from, to), local to <paramref name="TimeZone"/>.</summary>
public sealed record HistoryResponse(
    string Level,
    string Area,
    string Step,
    string TimeZone,
    DateTimeOffset From,
    DateTimeOffset To,
    HistoryPoint[] Points);
