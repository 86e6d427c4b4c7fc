using System.Text.Json.Nodes;

namespace CitySense.Api.Ngsi;

/// <summary>
/// The entity representation a request asks for: normalized (the default) or simplified, "keyValues"
/// (ETSI GS CIM 009, 4.5.4): each attribute reduced to its value (a Property's value, a Relationship's object), which is
/// what dashboards read. Asked by options=keyValues, or format=simplified / format=keyValues (CIM 009 1.8).
/// </summary>
public static class NgsiRepresentation
{
    /// <summary>Whether the request asks for keyValues; false with <paramref name="error"/> for an option CitySense does not serve.</summary>
    public static bool TryParse(string? options, string? format, out bool keyValues, out string error)
    {
        keyValues = false;
        error = string.Empty;
        var normalized = false;
        foreach (var option in (options ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (option)
            {
                case "keyValues":
                    keyValues = true;
                    break;
                case "normalized":
                    normalized = true;
                    break;
                default:
                    error = $"options '{option}' is not supported: keyValues or normalized.";
                    return false;
            }
        }

        switch (format)
        {
            case null:
                break;
            case "simplified" or "keyValues":
                keyValues = true;
                break;
            case "normalized":
                normalized = true;
                break;
            default:
                error = $"format '{format}' is not supported: normalized, simplified or keyValues.";
                return false;
        }

        if (keyValues && normalized)
        {
            error = "Ask for either the normalized or the simplified (keyValues) representation, not both.";
            return false;
        }

        return true;
    }

    /// <summary>The entity in the simplified representation; id, type and @context stay as they are.</summary>
    public static JsonObject KeyValues(JsonObject entity)
    {
        var simplified = new JsonObject();
        foreach (var (key, value) in entity)
        {
            simplified[key] = key is "id" or "type" or "@context" || value is not JsonObject attribute
                ? value?.DeepClone()
                : (attribute["type"]?.GetValue<string>() == "Relationship" ? attribute["object"] : attribute["value"])?.DeepClone();
        }

        return simplified;
    }
}
