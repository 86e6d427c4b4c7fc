using System.Security.Claims;
using CitySense.Api.Endpoints;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Telemetry;
using CitySense.Contracts.Vee;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CitySense.Api.History;

/// <summary>Suspect readings held out of the totals, and the operators' accept and reject (docs/history.md, docs/api.md).</summary>
public static class SuspectEndpoints
{
    /// <summary>A comment longer than this is refused: the audit trail is stored with the community's state.</summary>
    private const int MaxComment = 500;

    public static RouteGroupBuilder MapSuspectReadEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/devices/{device}/suspects", GetDevice).WithName("GetDeviceSuspects").WithSummary("A meter's suspect readings: held, and decided with who and when");
        api.MapGet("/districts/{district}/communities/{community}/suspects", GetCommunity).WithName("GetCommunitySuspects")
            .WithSummary("A community's suspect readings: held, and decided with who and when");
        return api;
    }

    public static RouteGroupBuilder MapSuspectDecisionEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/devices/{device}/suspects/{timestampMs:long}/accept", Accept).WithName("AcceptSuspect")
            .WithSummary("Accept a held reading: its consumption counts, in its own hour");
        api.MapPost("/devices/{device}/suspects/{timestampMs:long}/reject", Reject).WithName("RejectSuspect")
            .WithSummary("Reject a held reading: it never counts; the meter's next reading is measured from the last good one");
        return api;
    }

    private static async Task<Results<Ok<SuspectReading[]>, BadRequest<ProblemBody>>> GetDevice(string device, IGrainFactory grains) =>
        !Ids.IsValid(device) ? TypedResults.BadRequest(ProblemBody.InvalidId("device")) : TypedResults.Ok(await grains.GetGrain<IDeviceGrain>(device).GetSuspects());

    private static async Task<Results<Ok<SuspectReading[]>, BadRequest<ProblemBody>>> GetCommunity(string district, string community, IGrainFactory grains) =>
        !Ids.IsValid(district) || !Ids.IsValid(community)
            ? TypedResults.BadRequest(ProblemBody.InvalidId(Ids.IsValid(district) ? "community" : "district"))
            : TypedResults.Ok(await grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community)).GetSuspects(null));

    private static Task<Results<Ok<SuspectReading>, NotFound<ProblemBody>, Conflict<SuspectReading>, BadRequest<ProblemBody>>> Accept(
        string device, long timestampMs, SuspectDecisionBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
        DecideAsync(device, timestampMs, accept: true, body, user, grains);

    private static Task<Results<Ok<SuspectReading>, NotFound<ProblemBody>, Conflict<SuspectReading>, BadRequest<ProblemBody>>> Reject(
        string device, long timestampMs, SuspectDecisionBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
        DecideAsync(device, timestampMs, accept: false, body, user, grains);

    private static async Task<Results<Ok<SuspectReading>, NotFound<ProblemBody>, Conflict<SuspectReading>, BadRequest<ProblemBody>>> DecideAsync(
        string device, long timestampMs, bool accept, SuspectDecisionBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsValid(device))
        {
            return TypedResults.BadRequest(ProblemBody.InvalidId("device"));
        }

        if (body?.Comment is { Length: > MaxComment })
        {
            return TypedResults.BadRequest(new ProblemBody("comment-too-long", $"A comment is at most {MaxComment} characters."));
        }

        // The API key's name (docs/security.md); "anonymous" where keys are off (the embedded default on loopback).
        var by = user.Identity?.Name ?? "anonymous";
        var decision = await grains.GetGrain<IDeviceGrain>(device).DecideSuspect(timestampMs, accept, by, body?.Comment);
        return decision.Outcome switch
        {
            SuspectOutcome.Decided => TypedResults.Ok(decision.Suspect!),
            SuspectOutcome.AlreadyDecided => TypedResults.Conflict(decision.Suspect!),
            _ => TypedResults.NotFound(new ProblemBody("not-found", $"Device '{device}' has no suspect reading at {timestampMs}.")),
        };
    }
}
