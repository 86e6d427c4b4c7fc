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
}
