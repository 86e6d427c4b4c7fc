using System.Text.Json;
using System.Text.Json.Nodes;
using CitySense.Contracts.Subscriptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CitySense.Api.Ngsi.Subscriptions;

/// <summary>
/// NGSI-LD subscriptions, /ngsi-ld/v1/subscriptions (docs/sharing.md): reading with scope read, creating, changing and
/// deleting with scope operate (the caller maps each group under its policy).
/// </summary>
public static class SubscriptionEndpoints
{
    public const string Path = "/ngsi-ld/v1/subscriptions";

    /// <summary>Bodies beyond this are refused before parsing: a subscription is small.</summary>
    private const int MaxBody = 64 * 1024;

    public static IEndpointRouteBuilder MapSubscriptionReadEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, List).WithName("ListSubscriptions").WithSummary("NGSI-LD subscriptions, with their delivery status")
            .ProducesSubscription<JsonArray>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);
        app.MapGet(Path + "/{id}", Get).WithName("GetSubscription").WithSummary("One NGSI-LD subscription, with its delivery status")
            .ProducesSubscription<JsonObject>(StatusCodes.Status200OK, StatusCodes.Status404NotFound);
        return app;
    }

    public static IEndpointRouteBuilder MapSubscriptionWriteEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, Create).WithName("CreateSubscription").WithSummary("Create an NGSI-LD subscription (201, Location)")
            .ProducesSubscription<JsonObject>(StatusCodes.Status201Created, StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        app.MapPatch(Path + "/{id}", Patch).WithName("UpdateSubscription").WithSummary("Change members of an NGSI-LD subscription (204)")
            .ProducesSubscription<JsonObject>(StatusCodes.Status204NoContent, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        app.MapDelete(Path + "/{id}", Delete).WithName("DeleteSubscription").WithSummary("Delete an NGSI-LD subscription (204)")
            .ProducesSubscription<JsonObject>(StatusCodes.Status204NoContent, StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> List(HttpContext http, IGrainFactory grains, TimeProvider time, int? limit, int? offset)
    {
        if (limit is < 1 or > 1000 || offset is < 0)
        {
            return NgsiProblem.BadRequest("limit must be 1 to 1000 and offset 0 or more.");
        }

        var specs = await Registry(grains).List();
        var page = specs.Skip(offset ?? 0).Take(limit ?? 100).ToArray();
        var statuses = await Task.WhenAll(page.Select(s => grains.GetGrain<ISubscriptionGrain>(s.Id).GetStatus()));
        http.Response.Headers["NGSILD-Results-Count"] = specs.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ld = WantsLd(http);
        return Results.Bytes(SubscriptionJson.Many(page.Zip(statuses).ToArray(), Now(time), ld), ld ? "application/ld+json" : "application/json");
    }

    private static async Task<IResult> Get(string id, HttpContext http, IGrainFactory grains, TimeProvider time)
    {
        if (await Registry(grains).Get(id) is not { } spec)
        {
            return NgsiProblem.NotFound($"No subscription {id}.");
        }

        var status = await grains.GetGrain<ISubscriptionGrain>(id).GetStatus();
        var ld = WantsLd(http);
        return Results.Bytes(SubscriptionJson.One(spec, status, Now(time), ld), ld ? "application/ld+json" : "application/json");
    }

    private static async Task<IResult> Create(HttpContext http, IGrainFactory grains, TimeProvider time, SubscriptionMatcher matcher)
    {
        if (await ReadBodyAsync(http) is not { } body)
        {
            return NgsiProblem.Invalid("The body is not JSON (or is larger than 64 KiB).");
        }

        using (body)
        {
            if (!SubscriptionRequest.TryCreate(body.RootElement, LinkContext(http), Now(time), out var spec, out var error))
            {
                return NgsiProblem.BadRequest(error);
            }

            // Notifications carry the context the subscription was made with, or CitySense's own (Smart Data Models terms).
            spec = spec! with { Context = spec.Context ?? NgsiContext.Url($"{http.Request.Scheme}://{http.Request.Host}") };

            if (!await Registry(grains).Put(spec!, replace: false))
            {
                return NgsiProblem.Conflict($"A subscription {spec!.Id} exists already.");
            }

            await matcher.RefreshNowAsync();
            http.Response.Headers.Location = Path + "/" + Uri.EscapeDataString(spec!.Id);
            return Results.StatusCode(StatusCodes.Status201Created);
        }
    }

    private static async Task<IResult> Patch(string id, HttpContext http, IGrainFactory grains, TimeProvider time, SubscriptionMatcher matcher)
    {
        if (await ReadBodyAsync(http) is not { } body)
        {
            return NgsiProblem.Invalid("The body is not JSON (or is larger than 64 KiB).");
        }

        using (body)
        {
            var registry = Registry(grains);
            if (await registry.Get(id) is not { } current)
            {
                return NgsiProblem.NotFound($"No subscription {id}.");
            }

            if (!SubscriptionRequest.TryPatch(current, body.RootElement, Now(time), out var spec, out var error))
            {
                return NgsiProblem.BadRequest(error);
            }

            await registry.Put(spec!, replace: true);
            await matcher.RefreshNowAsync();
            return Results.NoContent();
        }
    }

    private static async Task<IResult> Delete(string id, IGrainFactory grains, SubscriptionMatcher matcher)
    {
        if (!await Registry(grains).Remove(id))
        {
            return NgsiProblem.NotFound($"No subscription {id}.");
        }

        await matcher.RefreshNowAsync();
        return Results.NoContent();
    }

    private static ISubscriptionRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<ISubscriptionRegistryGrain>(ISubscriptionRegistryGrain.Key);

    private static long Now(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static bool WantsLd(HttpContext http) => http.Request.Headers.Accept.Any(a => a is not null && a.Contains("application/ld+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The context of an application/json request, from its Link header (NGSI-LD 6.3.5).</summary>
    private static string? LinkContext(HttpContext http)
    {
        var link = http.Request.Headers["Link"].ToString();
        var start = link.IndexOf('<');
        var end = link.IndexOf('>');
        return start >= 0 && end > start ? link[(start + 1)..end] : null;
    }

    private static async Task<JsonDocument?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength is > MaxBody)
        {
            return null;
        }

        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            return buffer.Length > MaxBody ? null : JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
