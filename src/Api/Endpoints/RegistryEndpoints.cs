using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Registry;
using CitySense.Contracts.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CitySense.Api.Endpoints;

/// <summary>The device registry: provision, move, record a meter replacement, decommission (docs/api.md).</summary>
public static class RegistryEndpoints
{
    /// <summary>Tags the endpoints that change the registry, for the operate scope.</summary>
    public const string OperateTag = "Registry";

    public static RouteGroupBuilder MapRegistryEndpoints(this RouteGroupBuilder api)
    {
        var registry = api.MapGroup("/registry/devices").WithTags(OperateTag);
        registry.MapGet("/{device}", async (string device, IGrainFactory grains) =>
            !Ids.IsValid(device) ? Results.BadRequest(ProblemBody.InvalidId("device"))
            : await grains.GetGrain<IDeviceGrain>(device).GetProfile() is { } profile ? Results.Ok(profile)
            : Results.NotFound(new ProblemBody("not-found", $"Device '{device}' is not registered.")))
            .WithName("GetDeviceProfile").WithSummary("A device's registry profile")
            .Produces<DeviceProfile>().Produces<ProblemBody>(StatusCodes.Status400BadRequest).Produces<ProblemBody>(StatusCodes.Status404NotFound);

        registry.MapPut("/{device}", async (string device, ProvisionRequest request, IGrainFactory grains) =>
        {
            if (Invalid(device, request.District, request.Community, request.Kind) is { } bad)
            {
                return bad;
            }

            if (request.Kind == Kinds.Gateway)
            {
                return Results.BadRequest(new ProblemBody("invalid-kind", "\"gateway\" is a topic, not a device kind."));
            }

            if (request.RegisterMax is <= 0 or > 1e11m || request.ExpectedIntervalSeconds is <= 0 or > 30 * 86_400)
            {
                return Results.BadRequest(new ProblemBody("invalid-value", "registerMax must be in (0, 1e11] and expectedIntervalSeconds in (0, 2592000] (30 days)."));
            }

            var interval = request.ExpectedIntervalSeconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
            return ToResult(await grains.GetGrain<IDeviceGrain>(device).Provision(
                new DeviceRegistration(request.District, request.Community, request.Kind, request.RegisterMax, interval, request.Tags)));
        }).WithName("ProvisionDevice").WithSummary("Provision a device ahead of its first reading, or update how it is read")
            .WithRegistryResponses();

        registry.MapPost("/{device}/move", async (string device, MoveRequest request, IGrainFactory grains) =>
            Invalid(device, request.District, request.Community, Kinds.Water) ?? ToResult(await grains.GetGrain<IDeviceGrain>(device).Move(request.District, request.Community)))
            .WithName("MoveDevice").WithSummary("Move a device to another community from now on")
            .WithRegistryResponses();

        registry.MapPost("/{device}/replacement", async (string device, IGrainFactory grains) =>
            !Ids.IsValid(device) ? Results.BadRequest(ProblemBody.InvalidId("device")) : ToResult(await grains.GetGrain<IDeviceGrain>(device).RecordReplacement()))
            .WithName("RecordReplacement").WithSummary("Record a meter replacement: the next reading starts a new register baseline")
            .WithRegistryResponses();

        registry.MapDelete("/{device}", async (string device, IGrainFactory grains) =>
            !Ids.IsValid(device) ? Results.BadRequest(ProblemBody.InvalidId("device")) : ToResult(await grains.GetGrain<IDeviceGrain>(device).Decommission()))
            .WithName("DecommissionDevice").WithSummary("Decommission a device: its readings are refused from now on")
            .WithRegistryResponses();
        return api;
    }

    /// <summary>
    /// What every registry change answers (<see cref="ToResult"/>): the device's profile, or a problem for an invalid
    /// request, an unknown device, or a change the registry refuses (a conflict). Declared so that the OpenAPI document
    /// describes the bodies a generated client reads.
    /// </summary>
    private static RouteHandlerBuilder WithRegistryResponses(this RouteHandlerBuilder builder) => builder
        .Produces<DeviceProfile>()
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest)
        .Produces<ProblemBody>(StatusCodes.Status404NotFound)
        .Produces<ProblemBody>(StatusCodes.Status409Conflict);

    private static IResult? Invalid(string device, string district, string community, string kind) =>
        !Ids.IsValid(device) ? Results.BadRequest(ProblemBody.InvalidId("device"))
        : !Ids.IsValid(district) ? Results.BadRequest(ProblemBody.InvalidId("district"))
        : !Ids.IsValid(community) ? Results.BadRequest(ProblemBody.InvalidId("community"))
        : !Ids.IsValid(kind) ? Results.BadRequest(ProblemBody.InvalidId("kind"))
        : null;

    private static IResult ToResult(RegistryResult result) => result.Outcome switch
    {
        RegistryOutcome.Ok => Results.Ok(result.Profile),
        RegistryOutcome.NotFound => Results.NotFound(new ProblemBody("not-found", result.Error ?? "not found")),
        RegistryOutcome.Conflict => Results.Conflict(new ProblemBody("conflict", result.Error ?? "conflict")),
        _ => Results.BadRequest(new ProblemBody("invalid", result.Error ?? "invalid")),
    };
}
