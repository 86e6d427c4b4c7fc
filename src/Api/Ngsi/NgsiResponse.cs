using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CitySense.Api.Ngsi;

/// <summary>
/// How NGSI-LD answers carry their @context (ETSI GS CIM 009, 6.3.5–6.3.6): inline ("@context" in each entity) when
/// the client prefers application/ld+json, else as a Link header on an application/json body. Any other Accept is a 406.
/// </summary>
public static class NgsiResponse
{
    public const string JsonMediaType = "application/json";

    /// <summary>Whether the answer is application/ld+json (the negotiated media type; false when none is acceptable).</summary>
    public static bool WantsJsonLd(HttpRequest request) => Negotiate(request) == NgsiContext.JsonLdMediaType;

    /// <summary>
    /// The media type to answer with: application/json or application/ld+json by the Accept header's quality values;
    /// no Accept, */* and application/* mean application/json (NGSI-LD's default); null when neither is acceptable.
    /// On equal quality an explicitly named application/ld+json wins, so "application/ld+json, application/json" gets
    /// the inline context.
    /// </summary>
    public static string? Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return JsonMediaType;
        }

        double json = -1, jsonLd = -1;
        foreach (var range in ranges)
        {
            var quality = range.Quality ?? 1.0;
            var type = range.MediaType.Value;
            if (string.Equals(type, NgsiContext.JsonLdMediaType, StringComparison.OrdinalIgnoreCase))
            {
                jsonLd = Math.Max(jsonLd, quality);
            }
            else if (string.Equals(type, JsonMediaType, StringComparison.OrdinalIgnoreCase)
                || string.Equals(type, "application/*", StringComparison.OrdinalIgnoreCase) || string.Equals(type, "*/*", StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json, quality);
            }
        }

        return jsonLd > 0 && jsonLd >= json ? NgsiContext.JsonLdMediaType
            : json > 0 ? JsonMediaType
            : null;
    }

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
        return Results.Text(body.ToJsonString(), JsonMediaType);
    }
}
