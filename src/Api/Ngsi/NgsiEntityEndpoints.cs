using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CitySense.Api.Ngsi;

/// <summary>NGSI-LD context information (read only): GET /ngsi-ld/v1/entities, /entities/{id}, /types (docs/sharing.md).</summary>
public static class NgsiEntityEndpoints
{
    public const string ResultsCountHeader = "NGSILD-Results-Count";

    public static RouteGroupBuilder MapNgsiEntityEndpoints(this RouteGroupBuilder ngsi)
    {
        ngsi.MapGet("/entities", Query).WithName("NgsiQueryEntities").WithSummary("NGSI-LD: entities by type, id, q and attrs, paged with limit and offset")
            .ProducesNgsi<JsonArray>(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status501NotImplemented);
        ngsi.MapGet("/entities/{id}", Get).WithName("NgsiGetEntity").WithSummary("NGSI-LD: one entity")
            .ProducesNgsi<JsonObject>(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        ngsi.MapGet("/types", async (HttpContext http, NgsiSource source) => NgsiResponse.Of(http, new JsonObject
        {
            ["id"] = "urn:ngsi-ld:EntityTypeList:citysense",
            ["type"] = "EntityTypeList",
            ["typeList"] = new JsonArray((await source.TypesAsync()).Select(t => (JsonNode?)t).ToArray()),
        })).WithName("NgsiTypes").WithSummary("NGSI-LD: the entity types of the entities that exist now")
            .ProducesNgsi<JsonObject>();
        return ngsi;
    }

    private static async Task<IResult> Get(string id, HttpContext http, NgsiSource source, string? attrs = null, string? options = null, string? format = null)
    {
        if (!Uri.TryCreate(id, UriKind.Absolute, out _))
        {
            return NgsiProblem.BadRequest($"'{id}' is not a URI.");
        }

        if (!NgsiAttrs.TryParse(attrs, out var names, out var attrsError))
        {
            return NgsiProblem.BadRequest(attrsError);
        }

        if (!NgsiRepresentation.TryParse(options, format, out var keyValues, out var optionsError))
        {
            return NgsiProblem.BadRequest(optionsError);
        }

        return await source.EntityAsync(id) is { } entity
            ? NgsiResponse.Of(http, Represent(NgsiAttrs.Project(entity, names), keyValues))
            : NgsiProblem.NotFound($"No entity '{id}' (ids: docs/sharing.md).");
    }

    private static async Task<IResult> Query(HttpContext http, NgsiSource source, IOptions<NgsiOptions> ngsiOptions, string? type = null, string? id = null,
        string? q = null, string? attrs = null, int? limit = null, int? offset = null, bool? count = null, string? idPattern = null, string? georel = null,
        string? options = null, string? format = null)
    {
        var o = ngsiOptions.Value;
        if (idPattern is not null || georel is not null)
        {
            return NgsiProblem.NotSupported("idPattern and geo-queries are not supported: CitySense entities have no location.");
        }

        if (type is null && id is null && q is null && attrs is null)
        {
            return NgsiProblem.BadRequest("Give at least one of type, id, q or attrs (NGSI-LD).");
        }

        if ((limit is { } l && (l < 0 || l > o.MaxLimit)) || offset is < 0)
        {
            return NgsiProblem.BadRequest($"limit must be between 0 and {o.MaxLimit} (Ngsi:MaxLimit), offset at least 0.");
        }

        NgsiQuery? query = null;
        if (!string.IsNullOrWhiteSpace(q) && !NgsiQuery.TryParse(q, out query, out var qError))
        {
            return NgsiProblem.BadRequest(qError);
        }

        if (!NgsiAttrs.TryParse(attrs, out var names, out var attrsError))
        {
            return NgsiProblem.BadRequest(attrsError);
        }

        if (!NgsiRepresentation.TryParse(options, format, out var keyValues, out var optionsError))
        {
            return NgsiProblem.BadRequest(optionsError);
        }

        var types = type is null
            ? new HashSet<string>(NgsiTypes.All, StringComparer.Ordinal)
            : new HashSet<string>(type.Split(',', StringSplitOptions.TrimEntries).Select(ShortType), StringComparer.Ordinal);
        List<JsonObject> entities;
        if (id is not null)
        {
            entities = [];
            foreach (var one in id.Split(',', StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal))
            {
                if (await source.EntityAsync(one) is { } entity && types.Contains((string)entity["type"]!))
                {
                    entities.Add(entity);
                }
            }

            entities.Sort((a, b) => string.CompareOrdinal((string?)a["id"], (string?)b["id"]));
        }
        else
        {
            string? tooMany = null;
            entities = await source.EntitiesAsync(types, m => tooMany = m) ?? [];
            if (tooMany is not null)
            {
                return NgsiProblem.TooMany(tooMany);
            }
        }

        var matching = entities.Where(e => (query is null || query.Matches(e)) && NgsiAttrs.HasAny(e, names)).ToList();
        if (count == true)
        {
            http.Response.Headers[ResultsCountHeader] = matching.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var page = matching.Skip(offset ?? 0).Take(limit ?? o.DefaultLimit).Select(e => (JsonNode?)Represent(NgsiAttrs.Project(e, names), keyValues)).ToArray();
        return NgsiResponse.Of(http, new JsonArray(page));
    }

    /// <summary>q and attrs work on the normalized form; keyValues simplifies only what is sent.</summary>
    private static JsonObject Represent(JsonObject entity, bool keyValues) => keyValues ? NgsiRepresentation.KeyValues(entity) : entity;

    /// <summary>A type may be given as its short name or as the IRI the served context expands it to.</summary>
    private static string ShortType(string type)
    {
        var slash = type.LastIndexOfAny(['/', ':', '#']);
        return slash >= 0 && type.Contains("://", StringComparison.Ordinal) ? type[(slash + 1)..] : type;
    }
}
