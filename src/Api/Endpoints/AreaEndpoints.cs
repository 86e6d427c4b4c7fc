using CitySense.Contracts.Grains;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CitySense.Api.Endpoints;

/// <summary>Current indicators of devices, communities, districts and the city (docs/api.md).</summary>
public static class AreaEndpoints
{
    public static RouteGroupBuilder MapAreaEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/devices/{device}", GetDevice).WithName("GetDevice").WithSummary("Current state of one device");
        api.MapGet("/districts/{district}", GetDistrict).WithName("GetDistrict").WithSummary("Current indicators of a district");
        api.MapGet("/districts/{district}/communities/{community}", GetCommunity).WithName("GetCommunity").WithSummary("Current indicators of a community");
        api.MapGet("/city", GetCity).WithName("GetCity").WithSummary("Current indicators of the whole city");
        return api;
    }

    private static async Task<Results<Ok<DeviceSnapshot>, NotFound<ProblemBody>, BadRequest<ProblemBody>>> GetDevice(string device, IGrainFactory grains)
    {
        if (!Ids.IsValid(device))
        {
            return TypedResults.BadRequest(ProblemBody.InvalidId("device"));
        }

        var snapshot = await grains.GetGrain<IDeviceGrain>(device).GetSnapshot();
        return snapshot is null
            ? TypedResults.NotFound(new ProblemBody("not-found", $"Device '{device}' has not reported yet."))
            : TypedResults.Ok(snapshot);
    }

    private static async Task<Results<Ok<AreaSnapshot>, NotFound<ProblemBody>, BadRequest<ProblemBody>>> GetDistrict(string district, IGrainFactory grains)
    {
        if (!Ids.IsValid(district))
        {
            return TypedResults.BadRequest(ProblemBody.InvalidId("district"));
        }

        var snapshot = await grains.GetGrain<IDistrictGrain>(district).GetSnapshot();
        return snapshot.Kinds.Length == 0 && snapshot.Children.Length == 0
            ? TypedResults.NotFound(new ProblemBody("not-found", $"District '{district}' has no data yet."))
            : TypedResults.Ok(snapshot);
    }

    private static async Task<Results<Ok<AreaSnapshot>, NotFound<ProblemBody>, BadRequest<ProblemBody>>> GetCommunity(string district, string community, IGrainFactory grains)
    {
        if (!Ids.IsValid(district) || !Ids.IsValid(community))
        {
            return TypedResults.BadRequest(ProblemBody.InvalidId(Ids.IsValid(district) ? "community" : "district"));
        }

        var snapshot = await grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community)).GetSnapshot();
        return snapshot.Kinds.Length == 0
            ? TypedResults.NotFound(new ProblemBody("not-found", $"Community '{district}/{community}' has no data yet."))
            : TypedResults.Ok(snapshot);
    }

    private static async Task<Ok<AreaSnapshot>> GetCity(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICityGrain>(AreaKeys.City).GetSnapshot());
}
