using CitySense.Api.Endpoints;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.History;
using CitySense.Contracts.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CitySense.Api.History;

/// <summary>Hourly, daily and monthly figures of areas and meters' days (docs/history.md, docs/api.md), as JSON or CSV.</summary>
public static class HistoryEndpoints
{
    public static RouteGroupBuilder MapHistoryEndpoints(this RouteGroupBuilder api)
    {
        Describe(api.MapGet("/city/history", GetCity).WithName("GetCityHistory").WithSummary("Hourly, daily or monthly figures of the whole city"));
        Describe(api.MapGet("/districts/{district}/history", GetDistrict).WithName("GetDistrictHistory").WithSummary("Hourly, daily or monthly figures of a district"));
        Describe(api.MapGet("/districts/{district}/communities/{community}/history", GetCommunity).WithName("GetCommunityHistory")
            .WithSummary("Hourly, daily or monthly figures of a community"));
        api.MapGet("/devices/{device}/history", GetDevice).WithName("GetDeviceHistory").WithSummary("A meter's consumption per local day or month (the billing view)")
            .Produces<MeterHistoryResponse>(StatusCodes.Status200OK, "application/json", HistoryCsv.ContentType)
            .Produces<ProblemBody>(StatusCodes.Status400BadRequest)
            .Produces<ProblemBody>(StatusCodes.Status404NotFound);
        return api;
    }

    private static void Describe(RouteHandlerBuilder route) => route
        .Produces<HistoryResponse>(StatusCodes.Status200OK, "application/json", HistoryCsv.ContentType)
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest)
        .Produces<ProblemBody>(StatusCodes.Status404NotFound);

    private static Task<IResult> GetCity(HttpContext http, IGrainFactory grains, IOptions<HistoryOptions> options, IOptions<AlarmOptions> alarms,
        TimeProvider time, string? kind = null, string? from = null, string? to = null, string? step = null, string? format = null) =>
        AreaAsync(http, "city", AreaKeys.City, grains.GetGrain<ICityGrain>(AreaKeys.City), options.Value, alarms.Value, time, kind, from, to, step, format);

    private static Task<IResult> GetDistrict(string district, HttpContext http, IGrainFactory grains, IOptions<HistoryOptions> options, IOptions<AlarmOptions> alarms,
        TimeProvider time, string? kind = null, string? from = null, string? to = null, string? step = null, string? format = null) =>
        !Ids.IsValid(district)
            ? Task.FromResult(TypedResults.BadRequest(ProblemBody.InvalidId("district")) as IResult)
            : AreaAsync(http, "district", district, grains.GetGrain<IDistrictGrain>(district), options.Value, alarms.Value, time, kind, from, to, step, format);

    private static Task<IResult> GetCommunity(string district, string community, HttpContext http, IGrainFactory grains, IOptions<HistoryOptions> options,
        IOptions<AlarmOptions> alarms, TimeProvider time, string? kind = null, string? from = null, string? to = null, string? step = null, string? format = null)
    {
        if (!Ids.IsValid(district) || !Ids.IsValid(community))
        {
            return Task.FromResult(TypedResults.BadRequest(ProblemBody.InvalidId(Ids.IsValid(district) ? "community" : "district")) as IResult);
        }

        var key = AreaKeys.Community(district, community);
        return AreaAsync(http, "community", key, grains.GetGrain<ICommunityGrain>(key), options.Value, alarms.Value, time, kind, from, to, step, format);
    }

    private static async Task<IResult> AreaAsync(HttpContext http, string level, string area, IAreaGrain grain, HistoryOptions options, AlarmOptions alarms,
        TimeProvider time, string? kind, string? from, string? to, string? step, string? format)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(alarms.TimeZone);
        var (query, problem) = HistoryRange.Parse(kind, from, to, step, HistoryStep.Hour, zone, options, time.GetUtcNow());
        if (problem is not null || WantsCsv(http, format) is not { } csv)
        {
            return TypedResults.BadRequest(problem ?? InvalidFormat(format));
        }

        var points = await grain.GetHistory(query!);
        if (points.Length == 0 && level != "city" && !await HasDataAsync(grain))
        {
            return TypedResults.NotFound(new ProblemBody("not-found", $"The {level} '{area}' has no data."));
        }

        var response = new HistoryResponse(level, area, HistorySteps.Name(query!.Step), zone.Id,
            DateTimeOffset.FromUnixTimeMilliseconds(query.FromMs), DateTimeOffset.FromUnixTimeMilliseconds(query.ToMs), points);
        return csv ? TypedResults.Text(HistoryCsv.Area(response), HistoryCsv.ContentType) : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetDevice(string device, HttpContext http, IGrainFactory grains, IOptions<HistoryOptions> options, IOptions<AlarmOptions> alarms,
        TimeProvider time, string? from = null, string? to = null, string? step = null, string? format = null)
    {
        if (!Ids.IsValid(device))
        {
            return TypedResults.BadRequest(ProblemBody.InvalidId("device"));
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(alarms.Value.TimeZone);
        var (query, problem) = HistoryRange.Parse(null, from, to, step, HistoryStep.Day, zone, options.Value, time.GetUtcNow());
        if (problem is not null || WantsCsv(http, format) is not { } csv)
        {
            return TypedResults.BadRequest(problem ?? InvalidFormat(format));
        }

        if (query!.Step == HistoryStep.Hour)
        {
            return TypedResults.BadRequest(new ProblemBody("invalid-step", "A meter's history has daily resolution: step must be 1d or 1mo."));
        }

        if (await grains.GetGrain<IDeviceGrain>(device).GetProfile() is not { } profile || string.IsNullOrEmpty(profile.Community))
        {
            return TypedResults.NotFound(new ProblemBody("not-found", $"Device '{device}' is not registered and has not reported."));
        }

        if (Kinds.RegisterMetric(profile.Kind) is null)
        {
            return TypedResults.BadRequest(new ProblemBody("no-consumption", $"Device '{device}' is a {profile.Kind} device: it has no register, so no consumption history."));
        }

        var days = await grains.GetGrain<ICommunityGrain>(AreaKeys.Community(profile.District, profile.Community)).GetMeterHistory(device, query);
        var response = new MeterHistoryResponse(device, profile.District, profile.Community, profile.Kind, HistorySteps.Name(query.Step), zone.Id,
            DateTimeOffset.FromUnixTimeMilliseconds(query.FromMs), DateTimeOffset.FromUnixTimeMilliseconds(query.ToMs), days);
        return csv ? TypedResults.Text(HistoryCsv.Meter(response), HistoryCsv.ContentType) : TypedResults.Ok(response);
    }

    /// <summary>CSV with format=csv or an Accept header naming text/csv; JSON with format=json or otherwise; null for another format.</summary>
    private static bool? WantsCsv(HttpContext http, string? format) => format switch
    {
        "csv" => true,
        "json" => false,
        null => http.Request.Headers.Accept.Any(a => a is not null && a.Contains(HistoryCsv.ContentType, StringComparison.OrdinalIgnoreCase)),
        _ => null,
    };

    private static ProblemBody InvalidFormat(string? format) => new("invalid-format", $"format must be json or csv, not '{format}'.");

    /// <summary>An area with no history in range is still known when it has live data or children.</summary>
    private static async Task<bool> HasDataAsync(IAreaGrain grain)
    {
        var snapshot = await grain.GetSnapshot();
        return snapshot.Kinds.Length > 0 || snapshot.Children.Length > 0 || snapshot.Summary.Devices.Length > 0;
    }
}
