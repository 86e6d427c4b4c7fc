using CitySense.Contracts.Telemetry;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CitySense.Api.Endpoints;

/// <summary>Active and recent alarms from the silo's in-memory alarm book (docs/api.md).</summary>
public static class AlarmEndpoints
{
    public static RouteGroupBuilder MapAlarmEndpoints(this RouteGroupBuilder read)
    {
        read.MapGet("/alarms", GetAlarms).WithName("GetAlarms").WithSummary("Active alarms and the most recent alarm events, optionally for one district or community");
        return read;
    }

    private static Results<Ok<AlarmsReport>, BadRequest<ProblemBody>> GetAlarms(AlarmBook book, string? district, string? community, bool? active)
    {
        if (district is not null && !Ids.IsValid(district))
        {
            return TypedResults.BadRequest(ProblemBody.InvalidId("district"));
        }

        if (community is not null && (district is null || !Ids.IsValid(community)))
        {
            return TypedResults.BadRequest(district is null
                ? new ProblemBody("invalid-filter", "community needs district (community ids are unique within a district).")
                : ProblemBody.InvalidId("community"));
        }

        bool Matches(AlarmEvent a) =>
            (district is null || a.District == district) && (community is null || a.Community == community);

        return TypedResults.Ok(new AlarmsReport(book.Active(Matches), active == true ? [] : book.Recent(Matches)));
    }
}

/// <param name="Active">The latest event of each active (raised, not cleared) alarm, most severe first.</param>
/// <param name="Recent">The most recent alarm events, newest first (empty with ?active=true).</param>
public sealed record AlarmsReport(IReadOnlyList<AlarmEvent> Active, IReadOnlyList<AlarmUpdate> Recent);
