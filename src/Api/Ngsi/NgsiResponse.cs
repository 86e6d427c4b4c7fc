using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CitySense.Api.Ngsi;

/// <summary>
/// How NGSI-LD answers carry their @context: inline ("@context" in each entity) when the client accepts
/// application/ld+json, else as a Link header on an application/json body.
/// </summary>
public static class NgsiResponse
{
    public static bool WantsJsonLd(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains(NgsiContext.JsonLdMediaType, StringComparison.OrdinalIgnoreCase));

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>One entity or an array of them, with the context as the request asked.</summary>
    public static IResult Of(HttpContext http, JsonNode body)
    {
        var contextUrl = NgsiContext.Url(BaseUrl(http.Request));
        if (WantsJsonLd(http.Request))
        {
            foreach (var entity in body is JsonArray array ? array.OfType<JsonObject>() : body is JsonObject one ? [one] : [])
            {
                entity["@context"] = contextUrl;
            }

            return Results.Text(body.ToJsonString(), NgsiContext.JsonLdMediaType);
        }

        http.Response.Headers.Link = NgsiContext.LinkHeader(BaseUrl(http.Request));
        return Results.Text(body.ToJsonString(), "application/json");
    }
}
