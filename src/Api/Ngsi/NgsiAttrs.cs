using System.Text.Json.Nodes;

namespace CitySense.Api.Ngsi;

/// <summary>The attrs parameter: the attributes to keep (id and type always stay); null keeps them all.</summary>
public static class NgsiAttrs
{
    public static bool TryParse(string? attrs, out IReadOnlySet<string>? names, out string error)
    {
        names = null;
        error = string.Empty;
        if (attrs is null)
        {
            return true;
        }

        var list = attrs.Split(',', StringSplitOptions.TrimEntries);
        if (list.Any(a => a.Length == 0 || !a.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            error = "attrs must be a comma-separated list of attribute names (letters, digits, '_').";
            return false;
        }

        names = new HashSet<string>(list, StringComparer.Ordinal);
        return true;
    }

    /// <summary>The entity with only the named attributes; the entity itself when <paramref name="names"/> is null.</summary>
    public static JsonObject Project(JsonObject entity, IReadOnlySet<string>? names)
    {
        if (names is null)
        {
            return entity;
        }

        var projected = new JsonObject();
        foreach (var (key, value) in entity)
        {
            if (key is "id" or "type" or "@context" || names.Contains(key))
            {
                projected[key] = value?.DeepClone();
            }
        }

        return projected;
    }

    /// <summary>Whether the entity has at least one of the attributes (NGSI-LD: attrs alone also filters entities).</summary>
    public static bool HasAny(JsonObject entity, IReadOnlySet<string>? names) => names is null || names.Any(entity.ContainsKey);
}
