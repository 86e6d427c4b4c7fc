using CitySense.Contracts.History;

namespace CitySense.Api.History;

/// <summary>One meter's consumption per local day (step 1d) or month (1mo): the billing view.</summary>
public sealed record MeterHistoryResponse(
    string Device,
    string District,
    string Community,
    string Kind,
    string Step,
    string TimeZone,
    DateTimeOffset From,
    DateTimeOffset To,
    MeterDay[] Days);
