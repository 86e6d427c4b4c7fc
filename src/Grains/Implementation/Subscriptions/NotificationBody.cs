using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using CitySense.Contracts.Subscriptions;

namespace CitySense.Grains.Subscriptions;

/// <summary>
/// An NGSI-LD notification: {"id", "type": "Notification", "subscriptionId", "notifiedAt", "data": [entities]}, with
/// "@context" when the endpoint accepts application/ld+json. Entities are copied as rendered, unless the subscription
/// names the attributes it wants (notification.attributes).
/// </summary>
public static class NotificationBody
{
    /// <summary>The NGSI-LD core context, the one notifications fall back on when a subscription brought none.</summary>
    public const string CoreContext = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld";

    public static byte[] Build(SubscriptionSpec spec, string notificationId, long notifiedAtMs, IReadOnlyList<EntityChange> changes)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (changes.Count * 512));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", notificationId);
            writer.WriteString("type", "Notification");
            writer.WriteString("subscriptionId", spec.Id);
            writer.WriteString("notifiedAt", FormatTime(notifiedAtMs));
            writer.WriteStartArray("data");
            foreach (var change in changes)
            {
                if (spec.NotifyAttributes is { Length: > 0 } wanted)
                {
                    Project(JsonNode.Parse(change.Json)!.AsObject(), wanted).WriteTo(writer);
                }
                else
                {
                    writer.WriteRawValue(change.Json, skipInputValidation: true);
                }
            }

            writer.WriteEndArray();
            if (IsLd(spec.Accept))
            {
                writer.WriteString("@context", spec.Context ?? CoreContext);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static bool IsLd(string accept) => string.Equals(accept, "application/ld+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>NGSI-LD's DateTime: UTC, milliseconds, Z.</summary>
    public static string FormatTime(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Project(JsonObject entity, string[] wanted)
    {
        foreach (var name in entity.Select(p => p.Key).ToArray())
        {
            if (name is not ("id" or "type" or "@context") && Array.IndexOf(wanted, name) < 0)
            {
                entity.Remove(name);
            }
        }

        return entity;
    }
}
