using System.Buffers;
using System.Text.Json;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;

namespace CitySense.Api.Ngsi.Subscriptions;

/// <summary>
/// A device as it became after one applied reading, as the NGSI-LD entity notifications carry.
/// PLACEHOLDER until the entity mapping (branch ngsi-entities, NgsiEntities) is merged: ids urn:ngsi-ld:Device:{id},
/// type Device, one Property per metric and the register, each with the reading's observedAt.
/// </summary>
public static class DeviceEntityAdapter
{
    public static string TypeOf(string kind) => "Device";

    public static string IdOf(string device, string kind) => "urn:ngsi-ld:Device:" + device;

    /// <summary>The device's snapshot right after the reading: what the entity mapping renders.</summary>
    public static DeviceSnapshot SnapshotOf(string district, string community, DeviceUpdate update) =>
        new(update.Device, district, community, update.Kind, update.FirstSeenMs, update.TimestampMs, null, 0, 0,
            update.Register is { } register ? (double)register : null, update.Cumulative, update.Metrics);

    public static string Render(DeviceSnapshot device)
    {
        var observedAt = SubscriptionJson.Time(device.LastTimestampMs);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", IdOf(device.Device, device.Kind));
            writer.WriteString("type", TypeOf(device.Kind));
            Property(writer, "kind", device.Kind, null);
            Property(writer, "district", device.District, null);
            Property(writer, "community", device.Community, null);
            if (device.Register is { } register)
            {
                writer.WriteStartObject("register");
                writer.WriteString("type", "Property");
                writer.WriteNumber("value", register);
                writer.WriteString("observedAt", observedAt);
                writer.WriteEndObject();
            }

            foreach (var metric in device.Latest)
            {
                writer.WriteStartObject(metric.Name);
                writer.WriteString("type", "Property");
                writer.WriteNumber("value", metric.Value);
                writer.WriteString("observedAt", observedAt);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Property(Utf8JsonWriter writer, string name, string value, string? observedAt)
    {
        writer.WriteStartObject(name);
        writer.WriteString("type", "Property");
        writer.WriteString("value", value);
        if (observedAt is not null)
        {
            writer.WriteString("observedAt", observedAt);
        }

        writer.WriteEndObject();
    }
}
