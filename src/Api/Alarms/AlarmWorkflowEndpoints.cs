using System.Security.Claims;
using CitySense.Api.Endpoints;
using CitySense.Api.History;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.History;
using CitySense.Contracts.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CitySense.Api.Alarms;

/// <summary>
/// The operators' alarm workflow (docs/alarms.md): a community's alarm list and one alarm with its audit trail, the
/// alarm history of an area by time (read scope); acknowledge, assign, comment and clear by hand (operate scope), each
/// recorded with the API key's name and the time. An alarm is addressed by its community and its id
/// "{device}/{type}/{startMs}".
/// </summary>
public static class AlarmWorkflowEndpoints
{
    /// <summary>Comments and team names are stored in the audit trail of the alarm: bounded.</summary>
    private const int MaxComment = 500;

    private const int MaxTeam = 64;

    private const int DefaultHistoryLimit = 200;

    private const int MaxHistoryLimit = 1000;

    private const string Alarm = "/districts/{district}/communities/{community}/alarms/{device}/{type}/{startMs:long}";

    public static RouteGroupBuilder MapAlarmWorkflowReadEndpoints(this RouteGroupBuilder read)
    {
        read.MapGet("/districts/{district}/communities/{community}/alarms", GetCommunity).WithName("GetCommunityAlarms")
            .WithSummary("A community's alarms on the operators' list (active, or cleared and not yet acknowledged) with their workflow and audit trail");
        read.MapGet(Alarm, GetOne).WithName("GetAlarm").WithSummary("One alarm with its workflow and audit trail, open or from the history");
        read.MapGet("/alarms/history", GetHistory).WithName("GetAlarmHistory")
            .WithSummary("Alarms of the city, a district or a community that were active at some time in [from, to), newest first, bounded by limit");
        return read;
    }

    public static RouteGroupBuilder MapAlarmWorkflowActionEndpoints(this RouteGroupBuilder operate)
    {
        operate.MapPost(Alarm + "/acknowledge", Acknowledge).WithName("AcknowledgeAlarm").WithSummary("Acknowledge an alarm (a cleared one then leaves the list)");
        operate.MapPost(Alarm + "/assign", Assign).WithName("AssignAlarm").WithSummary("Assign an alarm to a named team");
        operate.MapPost(Alarm + "/comment", Comment).WithName("CommentAlarm").WithSummary("Add a comment to an alarm's audit trail");
        operate.MapPost(Alarm + "/clear", Clear).WithName("ClearAlarm").WithSummary("Clear an active alarm by hand (it is acknowledged and closed at once)");
        return operate;
    }

    private static async Task<Results<Ok<CommunityAlarms>, BadRequest<ProblemBody>>> GetCommunity(string district, string community, IGrainFactory grains)
    {
        if (InvalidArea(district, community) is { } problem)
        {
            return TypedResults.BadRequest(problem);
        }

        var grain = grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community));
        return TypedResults.Ok(new CommunityAlarms(district, community, await grain.GetOpenAlarms(), await grain.GetEscalations()));
    }

    private static async Task<Results<Ok<AlarmRecord>, NotFound<ProblemBody>, BadRequest<ProblemBody>>> GetOne(
        string district, string community, string device, string type, long startMs, IGrainFactory grains)
    {
        if (InvalidAlarm(district, community, device, type) is { } problem)
        {
            return TypedResults.BadRequest(problem);
        }

        var id = $"{device}/{type}/{startMs}";
        return await grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community)).GetAlarm(id) is { } record
            ? TypedResults.Ok(record)
            : TypedResults.NotFound(new ProblemBody("not-found", $"Community '{district}/{community}' has no alarm '{id}'."));
    }

    private static async Task<Results<Ok<AlarmHistory>, BadRequest<ProblemBody>>> GetHistory(IGrainFactory grains, IOptions<HistoryOptions> history,
        IOptions<AlarmOptions> alarms, TimeProvider time, string? district = null, string? community = null, string? from = null, string? to = null, int? limit = null)
    {
        if ((district is not null && !Ids.IsValid(district)) || (community is not null && !Ids.IsValid(community)))
        {
            return TypedResults.BadRequest(ProblemBody.InvalidId(district is not null && !Ids.IsValid(district) ? "district" : "community"));
        }

        if (community is not null && district is null)
        {
            return TypedResults.BadRequest(new ProblemBody("invalid-filter", "community needs district (community ids are unique within a district)."));
        }

        if (limit is < 1 or > MaxHistoryLimit)
        {
            return TypedResults.BadRequest(new ProblemBody("invalid-limit", $"limit must be from 1 to {MaxHistoryLimit}."));
        }

        // The history API's range rules: ISO 8601 instants or local dates, by default the last 30 days, at most History:MaxDays.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(alarms.Value.TimeZone);
        var (query, problem) = HistoryRange.Parse(null, from, to, null, HistoryStep.Day, zone, history.Value, time.GetUtcNow());
        if (problem is not null)
        {
            return TypedResults.BadRequest(problem);
        }

        var take = limit ?? DefaultHistoryLimit;
        var communities = community is not null ? [AreaKeys.Community(district!, community)] : await CommunitiesAsync(grains, district);
        var found = await Task.WhenAll(communities.Select(c => grains.GetGrain<ICommunityGrain>(c).GetAlarmHistory(query!.FromMs, query.ToMs, take)));
        var records = found.SelectMany(r => r)
            .OrderByDescending(r => r.Alarm.StartMs)
            .ThenBy(r => r.Alarm.AlarmId, StringComparer.Ordinal)
            .Take(take)
            .ToArray();
        var area = community is not null ? $"{district}/{community}" : district ?? AreaKeys.City;
        return TypedResults.Ok(new AlarmHistory(area, DateTimeOffset.FromUnixTimeMilliseconds(query!.FromMs), DateTimeOffset.FromUnixTimeMilliseconds(query.ToMs), take, records));
    }

    /// <summary>The communities with alarms of a district, or of the city (their keys "{district}/{community}"), from the durable alarm index.</summary>
    private static async Task<string[]> CommunitiesAsync(IGrainFactory grains, string? district)
    {
        var districts = district is not null ? [district] : await grains.GetGrain<IAlarmIndexGrain>(IAlarmIndexGrain.CityKey).Children();
        var children = await Task.WhenAll(districts.Select(async d => (District: d, Children: await grains.GetGrain<IAlarmIndexGrain>(IAlarmIndexGrain.DistrictKey(d)).Children())));
        return children.SelectMany(d => d.Children.Select(c => AreaKeys.Community(d.District, c))).ToArray();
    }

    private static Task<Results<Ok<AlarmRecord>, NotFound<ProblemBody>, Conflict<AlarmConflict>, BadRequest<ProblemBody>>> Acknowledge(
        string district, string community, string device, string type, long startMs, AlarmActionBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
        OperateAsync(district, community, device, type, startMs, AlarmAction.Acknowledged, body, user, grains);

    private static Task<Results<Ok<AlarmRecord>, NotFound<ProblemBody>, Conflict<AlarmConflict>, BadRequest<ProblemBody>>> Assign(
        string district, string community, string device, string type, long startMs, AlarmActionBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
        OperateAsync(district, community, device, type, startMs, AlarmAction.Assigned, body, user, grains);

    private static Task<Results<Ok<AlarmRecord>, NotFound<ProblemBody>, Conflict<AlarmConflict>, BadRequest<ProblemBody>>> Comment(
        string district, string community, string device, string type, long startMs, AlarmActionBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
        OperateAsync(district, community, device, type, startMs, AlarmAction.Commented, body, user, grains);

    private static Task<Results<Ok<AlarmRecord>, NotFound<ProblemBody>, Conflict<AlarmConflict>, BadRequest<ProblemBody>>> Clear(
        string district, string community, string device, string type, long startMs, AlarmActionBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
        OperateAsync(district, community, device, type, startMs, AlarmAction.ClearedByHand, body, user, grains);

    private static async Task<Results<Ok<AlarmRecord>, NotFound<ProblemBody>, Conflict<AlarmConflict>, BadRequest<ProblemBody>>> OperateAsync(
        string district, string community, string device, string type, long startMs, AlarmAction action, AlarmActionBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (InvalidAlarm(district, community, device, type) is { } invalid)
        {
            return TypedResults.BadRequest(invalid);
        }

        if (body?.Comment is { Length: > MaxComment })
        {
            return TypedResults.BadRequest(new ProblemBody("comment-too-long", $"A comment is at most {MaxComment} characters."));
        }

        if (action == AlarmAction.Assigned && (string.IsNullOrWhiteSpace(body?.Team) || body.Team.Length > MaxTeam))
        {
            return TypedResults.BadRequest(new ProblemBody("invalid-team", $"An assignment needs a team name of 1 to {MaxTeam} characters."));
        }

        if (action == AlarmAction.Commented && string.IsNullOrWhiteSpace(body?.Comment))
        {
            return TypedResults.BadRequest(new ProblemBody("comment-missing", "A comment needs text."));
        }

        // The API key's name (docs/security.md); "anonymous" where keys are off (the embedded default on loopback).
        var by = user.Identity?.Name ?? "anonymous";
        var id = $"{device}/{type}/{startMs}";
        var decision = await grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community))
            .OperateAlarm(id, new AlarmCommand(action, by, body?.Team?.Trim(), body?.Comment));
        return decision.Outcome switch
        {
            AlarmOutcome.Done => TypedResults.Ok(decision.Record!),
            AlarmOutcome.Refused => TypedResults.Conflict(new AlarmConflict("not-allowed", decision.Error!, decision.Record!)),
            _ => TypedResults.NotFound(new ProblemBody("not-found", $"Community '{district}/{community}' has no alarm '{id}'.")),
        };
    }

    private static ProblemBody? InvalidArea(string district, string community) =>
        !Ids.IsValid(district) ? ProblemBody.InvalidId("district") : !Ids.IsValid(community) ? ProblemBody.InvalidId("community") : null;

    private static ProblemBody? InvalidAlarm(string district, string community, string device, string type) =>
        InvalidArea(district, community) ?? (!Ids.IsValid(device) ? ProblemBody.InvalidId("device") : !Ids.IsValid(type) ? ProblemBody.InvalidId("alarm type") : null);
}
