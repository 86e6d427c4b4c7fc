using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CitySense.Api.Ngsi;

/// <summary>
/// The responses NGSI-LD operations declare in the OpenAPI document: the success body in both media types the client may
/// negotiate, and each error status with the NGSI-LD problem body. Bodies are entities (JsonObject) or arrays of them:
/// an entity's attributes depend on its type and are described by the served @context and docs/sharing.md, not by a schema.
/// </summary>
public static class NgsiOpenApi
{
    public static RouteHandlerBuilder ProducesNgsi<TBody>(this RouteHandlerBuilder builder, params int[] problemStatuses)
    {
        builder.Produces<TBody>(StatusCodes.Status200OK, NgsiContext.JsonLdMediaType, NgsiResponse.JsonMediaType);
        foreach (var status in problemStatuses.Append(StatusCodes.Status406NotAcceptable).Distinct())
        {
            builder.Produces<NgsiProblemBody>(status, NgsiProblem.MediaType);
        }

        return builder;
    }

    /// <summary>
    /// A subscription operation: its success (a body in both media types for 200; none for 201, which answers with
    /// Location, or 204) and its errors with the NGSI-LD problem body. The subscription API negotiates no 406.
    /// </summary>
    public static RouteHandlerBuilder ProducesSubscription<TBody>(this RouteHandlerBuilder builder, int success, params int[] problemStatuses)
    {
        if (success == StatusCodes.Status200OK)
        {
            builder.Produces<TBody>(success, NgsiContext.JsonLdMediaType, NgsiResponse.JsonMediaType);
        }
        else
        {
            builder.Produces(success);
        }

        foreach (var status in problemStatuses)
        {
            builder.Produces<NgsiProblemBody>(status, NgsiProblem.MediaType);
        }

        return builder;
    }
}
