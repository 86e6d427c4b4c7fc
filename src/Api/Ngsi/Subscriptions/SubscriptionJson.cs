using System.Buffers;
using System.Text.Json;
using CitySense.Contracts.Subscriptions;

namespace CitySense.Api.Ngsi.Subscriptions;

/// <summary>A subscription as NGSI-LD shows it, with its delivery status under <c>notification</c> (docs/sharing.md).</summary>
public static class SubscriptionJson
{
    public static void Write(Utf8JsonWriter writer, SubscriptionSpec spec, SubscriptionStatus status, long nowMs, bool withContext)
    {
        writer.WriteStartObject();
        writer.WriteString("id", spec.Id);
        writer.WriteString("type", "Subscription");
        if (spec.Name is not null)
        {
            writer.WriteString("subscriptionName", spec.Name);
        }

        if (spec.Description is not null)
        {
            writer.WriteString("description", spec.Description);
        }

        if (spec.Entities.Length > 0)
        {
            writer.WriteStartArray("entities");
            foreach (var e in spec.Entities)
            {
                writer.WriteStartObject();
                if (e.EntityId is not null)
                {
                    writer.WriteString("id", e.EntityId);
                }

                if (e.IdPattern is not null)
                {
                    writer.WriteString("idPattern", e.IdPattern);
                }

                if (e.Type is not null)
                {
                    writer.WriteString("type", e.Type);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        WriteNames(writer, "watchedAttributes", spec.WatchedAttributes);
        if (spec.Q is not null)
        {
            writer.WriteString("q", spec.Q);
        }

        if (spec.ThrottlingS > 0)
        {
            writer.WriteNumber("throttling", spec.ThrottlingS);
        }

        if (spec.ExpiresAtMs is { } expires)
        {
            writer.WriteString("expiresAt", Time(expires));
        }

        writer.WriteBoolean("isActive", spec.IsActive);
        writer.WriteString("status", spec.ExpiredAt(nowMs) ? "expired" : spec.IsActive ? "active" : "paused");
        writer.WriteStartObject("notification");
        WriteNames(writer, "attributes", spec.NotifyAttributes);
        writer.WriteString("format", "normalized");
        writer.WriteStartObject("endpoint");
        writer.WriteString("uri", spec.EndpointUri);
        writer.WriteString("accept", spec.Accept);
        writer.WriteEndObject();
        writer.WriteString("status", status.State);
        writer.WriteNumber("timesSent", status.TimesSent);
        writer.WriteNumber("timesFailed", status.TimesFailed);
        WriteTime(writer, "lastNotification", status.LastNotificationMs);
        WriteTime(writer, "lastSuccess", status.LastSuccessMs);
        WriteTime(writer, "lastFailure", status.LastFailureMs);
        // Beyond NGSI-LD's members: what an operator needs to see a backlog.
        writer.WriteNumber("consecutiveErrors", status.ConsecutiveErrors);
        writer.WriteNumber("entitiesSent", status.EntitiesSent);
        writer.WriteNumber("pending", status.Pending);
        writer.WriteNumber("dropped", status.Dropped);
        if (status.LastError is not null)
        {
            writer.WriteString("lastError", status.LastError);
        }

        writer.WriteEndObject();
        writer.WriteString("createdAt", Time(spec.CreatedAtMs));
        writer.WriteString("modifiedAt", Time(spec.ModifiedAtMs));
        if (withContext)
        {
            writer.WriteString("@context", spec.Context ?? CoreContext);
        }

        writer.WriteEndObject();
    }

    public const string CoreContext = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld";

    public static byte[] One(SubscriptionSpec spec, SubscriptionStatus status, long nowMs, bool withContext)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, spec, status, nowMs, withContext);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Many(IReadOnlyList<(SubscriptionSpec Spec, SubscriptionStatus Status)> items, long nowMs, bool withContext)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 * Math.Max(1, items.Count));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (spec, status) in items)
            {
                Write(writer, spec, status, nowMs, withContext);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNames(Utf8JsonWriter writer, string name, string[]? names)
    {
        if (names is { Length: > 0 })
        {
            writer.WriteStartArray(name);
            foreach (var n in names)
            {
                writer.WriteStringValue(n);
            }

            writer.WriteEndArray();
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, long? unixMs)
    {
        if (unixMs is { } ms)
        {
            writer.WriteString(name, Time(ms));
        }
    }

    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
