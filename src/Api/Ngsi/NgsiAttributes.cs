using System.Globalization;
using System.Text.Json.Nodes;

namespace CitySense.Api.Ngsi;

/// <summary>NGSI-LD's normalized attribute shapes: Property (with observedAt and unitCode) and Relationship.</summary>
public static class NgsiAttributes
{
    /// <summary>An instant as NGSI-LD writes it: UTC, milliseconds, 'Z'.</summary>
    public static string Instant(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Property(JsonNode? value, long? observedAtMs = null, string? unitCode = null)
    {
        var property = new JsonObject { ["type"] = "Property", ["value"] = value };
        if (observedAtMs is { } at)
        {
            property["observedAt"] = Instant(at);
        }

        if (unitCode is not null)
        {
            property["unitCode"] = unitCode;
        }

        return property;
    }

    /// <summary>A Property whose value is an instant, typed as NGSI-LD's DateTime so JSON-LD keeps it a date.</summary>
    public static JsonObject DateTimeProperty(long unixMs) =>
        Property(new JsonObject { ["@type"] = "DateTime", ["@value"] = Instant(unixMs) });

    public static JsonObject Relationship(string entityId) => new() { ["type"] = "Relationship", ["object"] = entityId };
}
