using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

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

    private static async Task<Results<Ok<AreaSnapshot>, NotFound<ProblemBody>, BadRequest<ProblemBody>>> GetDistrict(string district, int? windows, IGrainFactory grains, IOptions<IndicatorOptions> options)
    {
        if (!Ids.IsValid(district))
        {
            return TypedResults.BadRequest(ProblemBody.InvalidId("district"));
        }

        if (InvalidWindows(windows, options.Value) is { } invalid)
        {
            return TypedResults.BadRequest(invalid);
        }

        var snapshot = await SnapshotAsync(grains.GetGrain<IDistrictGrain>(district), windows);
        return snapshot.Kinds.Length == 0 && snapshot.Children.Length == 0
            ? TypedResults.NotFound(new ProblemBody("not-found", $"District '{district}' has no data yet."))
            : TypedResults.Ok(snapshot);
    }

    private static async Task<Results<Ok<AreaSnapshot>, NotFound<ProblemBody>, BadRequest<ProblemBody>>> GetCommunity(string district, string community, int? windows, IGrainFactory grains, IOptions<IndicatorOptions> options)
    {
        if (!Ids.IsValid(district) || !Ids.IsValid(community))
        {
            return TypedResults.BadRequest(ProblemBody.InvalidId(Ids.IsValid(district) ? "community" : "district"));
        }

        if (InvalidWindows(windows, options.Value.ForCommunities(), "Indicators:CommunityWindowsKept") is { } invalid)
        {
            return TypedResults.BadRequest(invalid);
        }

        var snapshot = await SnapshotAsync(grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community)), windows);
        return snapshot.Kinds.Length == 0 && snapshot.Summary.Devices.Length == 0
            ? TypedResults.NotFound(new ProblemBody("not-found", $"Community '{district}/{community}' has no data yet."))
            : TypedResults.Ok(snapshot);
    }

    private static async Task<Results<Ok<AreaSnapshot>, BadRequest<ProblemBody>>> GetCity(int? windows, IGrainFactory grains, IOptions<IndicatorOptions> options) =>
        InvalidWindows(windows, options.Value) is { } invalid
            ? TypedResults.BadRequest(invalid)
            : TypedResults.Ok(await SnapshotAsync(grains.GetGrain<ICityGrain>(AreaKeys.City), windows));

    /// <summary>
    /// ?windows=N: the N newest windows per kind, 1 to what the area keeps (Indicators:WindowsKept, for a community
    /// Indicators:CommunityWindowsKept: all that memory holds); default 10.
    /// </summary>
    private static ProblemBody? InvalidWindows(int? windows, IndicatorOptions options, string setting = "Indicators:WindowsKept") =>
        windows is { } n && (n < 1 || n > options.WindowsKept)
            ? new ProblemBody("invalid-windows", $"windows must be between 1 and {options.WindowsKept} ({setting}).")
            : null;

    private static Task<AreaSnapshot> SnapshotAsync(IAreaGrain grain, int? windows) =>
        windows is { } n ? grain.GetSnapshotWithWindows(n) : grain.GetSnapshot();
}
