using System.Globalization;
using System.Text.Json.Nodes;
using CitySense.Api.History;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.History;
using CitySense.Contracts.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CitySense.Api.Ngsi;

/// <summary>
/// NGSI-LD temporal evolution, answered from the history archive: areas' consumption per local hour (or day, month) and
/// meters' consumption per local day (or month) (docs/sharing.md has the bounds).
/// </summary>
public static class NgsiTemporalEndpoints
{
    public static RouteGroupBuilder MapNgsiTemporalEndpoints(this RouteGroupBuilder ngsi)
    {
        ngsi.MapGet("/temporal/entities/{id}", GetOne).WithName("NgsiTemporalEntity").WithSummary("NGSI-LD: an area's or a meter's consumption over time")
            .ProducesNgsi<JsonObject>(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        ngsi.MapGet("/temporal/entities", Query).WithName("NgsiTemporalQuery").WithSummary("NGSI-LD: the consumption over time of every area or meter of a type")
            .ProducesNgsi<JsonArray>(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden);
        return ngsi;
    }

    /// <summary>The checked temporal parameters.</summary>
    private sealed record Request(HistoryQuery History, NgsiAggregation? Aggregation, int? LastN);

    private static async Task<IResult> GetOne(string id, HttpContext http, IGrainFactory grains, IOptions<NgsiOptions> ngsi, IOptions<HistoryOptions> history,
        IOptions<AlarmOptions> alarms, TimeProvider time, string? timerel = null, string? timeAt = null, string? endTimeAt = null, int? lastN = null,
        string? aggrMethods = null, string? aggrPeriodDuration = null)
    {
        if (!NgsiIds.TryParse(id, out var type, out var parts))
        {
            return Uri.TryCreate(id, UriKind.Absolute, out _) ? NgsiProblem.NotFound($"No entity '{id}'.") : NgsiProblem.BadRequest($"'{id}' is not a URI.");
        }

        if (!IsTemporal(type))
        {
            return NgsiProblem.BadRequest($"CitySense keeps history for City, District, Community, WaterConsumptionObserved and SmartMeteringObservation, not {type}.");
        }

        var entry = (id, District: parts.Length > 0 && type is NgsiTypes.District or NgsiTypes.Community ? parts[0] : null,
            Community: type == NgsiTypes.Community ? parts[1] : null, Device: type is NgsiTypes.WaterConsumptionObserved or NgsiTypes.SmartMeteringObservation ? parts[0] : null);
        var (request, problem) = Parse(type, ngsi.Value, history.Value, alarms.Value, time, timerel, timeAt, endTimeAt, lastN, aggrMethods, aggrPeriodDuration);
        if (problem is not null)
        {
            return problem;
        }

        var entity = await TemporalAsync(grains, type, entry.id, entry.District, entry.Community, entry.Device, request!);
        return entity is null ? NgsiProblem.NotFound($"No entity '{id}'.") : NgsiResponse.Of(http, entity);
    }

    private static async Task<IResult> Query(HttpContext http, IGrainFactory grains, NgsiSource source, IOptions<NgsiOptions> ngsi, IOptions<HistoryOptions> history,
        IOptions<AlarmOptions> alarms, TimeProvider time, string? type = null, string? timerel = null, string? timeAt = null, string? endTimeAt = null,
        int? lastN = null, string? aggrMethods = null, string? aggrPeriodDuration = null, int? limit = null, int? offset = null, bool? count = null)
    {
        var o = ngsi.Value;
        if (type is null || !IsTemporal(type))
        {
            return NgsiProblem.BadRequest("type is required: City, District, Community, WaterConsumptionObserved or SmartMeteringObservation (one type per request).");
        }

        if ((limit is { } l && (l < 0 || l > o.MaxTemporalEntities)) || offset is < 0)
        {
            return NgsiProblem.TooMany($"limit must be between 0 and {o.MaxTemporalEntities} entities per temporal request (Ngsi:MaxTemporalEntities), offset at least 0.");
        }

        var (request, problem) = Parse(type, o, history.Value, alarms.Value, time, timerel, timeAt, endTimeAt, lastN, aggrMethods, aggrPeriodDuration);
        if (problem is not null)
        {
            return problem;
        }

        string? tooMany = null;
        var ids = await source.TemporalIdsAsync(type, m => tooMany = m);
        if (ids is null)
        {
            return NgsiProblem.TooMany(tooMany!);
        }

        if (count == true)
        {
            http.Response.Headers[NgsiEntityEndpoints.ResultsCountHeader] = ids.Count.ToString(CultureInfo.InvariantCulture);
        }

        var entities = new JsonArray();
        foreach (var e in ids.Skip(offset ?? 0).Take(limit ?? Math.Min(o.DefaultLimit, o.MaxTemporalEntities)))
        {
            if (await TemporalAsync(grains, type, e.Id, e.District, e.Community, e.Device, request!) is { } entity)
            {
                entities.Add(entity);
            }
        }

        return NgsiResponse.Of(http, entities);
    }

    private static bool IsTemporal(string type) =>
        type is NgsiTypes.City or NgsiTypes.District or NgsiTypes.Community or NgsiTypes.WaterConsumptionObserved or NgsiTypes.SmartMeteringObservation;

    /// <summary>
    /// timerel before/after/between with timeAt (and endTimeAt), checked by the history's own range rules
    /// (History:MaxHours, MaxDays, MaxMonths); without timerel, the history's default span up to now.
    /// </summary>
    private static (Request? Request, IResult? Problem) Parse(string type, NgsiOptions ngsi, HistoryOptions history, AlarmOptions alarms, TimeProvider time,
        string? timerel, string? timeAt, string? endTimeAt, int? lastN, string? aggrMethods, string? aggrPeriodDuration)
    {
        var meter = type is NgsiTypes.WaterConsumptionObserved or NgsiTypes.SmartMeteringObservation;
        NgsiDuration? period = null;
        if (aggrPeriodDuration is not null)
        {
            if (!NgsiDuration.TryParse(aggrPeriodDuration, out var d))
            {
                return (null, NgsiProblem.BadRequest($"aggrPeriodDuration '{aggrPeriodDuration}' is not supported: PTnH, PnD, PnW or PnM (the history's local hours, days and months)."));
            }

            period = d;
        }

        NgsiAggregation? aggregation = null;
        if (aggrMethods is not null)
        {
            if (!NgsiAggregation.TryParse(aggrMethods, out var methods, out var error))
            {
                return (null, NgsiProblem.BadRequest(error));
            }

            aggregation = new NgsiAggregation(methods, period);
        }
        else if (period is not null)
        {
            return (null, NgsiProblem.BadRequest("aggrPeriodDuration needs aggrMethods."));
        }

        if (lastN is { } n && (n < 1 || n > ngsi.MaxLimit))
        {
            return (null, NgsiProblem.BadRequest($"lastN must be between 1 and {ngsi.MaxLimit} (Ngsi:MaxLimit)."));
        }

        var step = period?.Step ?? (meter ? HistoryStep.Day : HistoryStep.Hour);
        if (meter && step == HistoryStep.Hour)
        {
            return (null, NgsiProblem.BadRequest("A meter's history has daily resolution: aggrPeriodDuration must be PnD, PnW or PnM."));
        }

        string? from, to;
        switch (timerel)
        {
            case null when timeAt is null && endTimeAt is null:
                (from, to) = (null, null);
                break;
            case "before" when timeAt is not null:
                (from, to) = (null, timeAt);
                break;
            case "after" when timeAt is not null:
                (from, to) = (timeAt, null);
                break;
            case "between" when timeAt is not null && endTimeAt is not null:
                (from, to) = (timeAt, endTimeAt);
                break;
            case null or "before" or "after" or "between":
                return (null, NgsiProblem.BadRequest("timerel before and after need timeAt; between needs timeAt and endTimeAt; timeAt needs timerel."));
            default:
                return (null, NgsiProblem.BadRequest($"timerel must be before, after or between, not '{timerel}'."));
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(alarms.TimeZone);
        var (query, problem) = HistoryRange.Parse(null, from, to, HistorySteps.Name(step), step, zone, history, time.GetUtcNow());
        return problem is not null
            ? (null, NgsiProblem.BadRequest($"{problem.Message} (timeAt and endTimeAt: ISO 8601 instants with an offset.)"))
            : (new Request(query!, aggregation, lastN), null);
    }

    private static async Task<JsonObject?> TemporalAsync(IGrainFactory grains, string type, string id, string? district, string? community, string? device, Request request)
    {
        if (device is not null)
        {
            if (await grains.GetGrain<IDeviceGrain>(device).GetProfile() is not { } profile || string.IsNullOrEmpty(profile.Community)
                || Kinds.RegisterMetric(profile.Kind) is null || NgsiIds.MeterType(profile.Kind) != type)
            {
                return null;
            }

            var days = await grains.GetGrain<ICommunityGrain>(AreaKeys.Community(profile.District, profile.Community)).GetMeterHistory(device, request.History);
            return NgsiTemporal.Entity(id, type, [NgsiTemporal.MeterSeries(profile.Kind, days)], request.Aggregation, request.LastN);
        }

        IAreaGrain grain = type switch
        {
            NgsiTypes.City => grains.GetGrain<ICityGrain>(AreaKeys.City),
            NgsiTypes.District => grains.GetGrain<IDistrictGrain>(district!),
            _ => grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district!, community!)),
        };
        var points = await grain.GetHistory(request.History);
        if (points.Length == 0 && type != NgsiTypes.City)
        {
            var snapshot = await grain.GetSnapshot();
            if (snapshot.Kinds.Length == 0 && snapshot.Children.Length == 0 && snapshot.Summary.Devices.Length == 0)
            {
                return null;
            }
        }

        return NgsiTemporal.Entity(id, type, NgsiTemporal.AreaSeries(points), request.Aggregation, request.LastN);
    }
}
