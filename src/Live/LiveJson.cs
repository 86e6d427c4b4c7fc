using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;

namespace CitySense.Live;

/// <summary>
/// The JSON of live messages, the same over SSE, WebSocket and MQTT (docs/live.md). Figures are written with the
/// serializer, so fields added to <see cref="KindSnapshot"/> later appear without touching this code.
/// </summary>
public static class LiveJson
{
    /// <summary>The API's conventions: camelCase, enums as strings, non-finite statistics as named literals.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// An indicators message as MQTT carries it (all figures, no <c>dropped</c>), in an array of its own: written through
    /// <paramref name="buffer"/>, which is reset first and reused by the caller.
    /// </summary>
    public static byte[] IndicatorPayload(IndicatorUpdate u, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteIndicator(writer, u, LiveFilter.All, dropped: null);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteIndicator(Utf8JsonWriter w, IndicatorUpdate u, LiveFilter filter, long? dropped)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "indicators"u8);
        w.WriteNumber("seq"u8, u.Seq);
        w.WriteNumber("atMs"u8, u.AtMs);
        WriteArea(w, u);
        w.WriteString("kind"u8, u.Figures.Kind);
        if (dropped is { } d)
        {
            w.WriteNumber("dropped"u8, d);
        }

        w.WritePropertyName("figures"u8);
        WriteFigures(w, u.Figures, filter);
        w.WriteEndObject();
    }

    public static void WriteAlarm(Utf8JsonWriter w, AlarmUpdate a, long? dropped)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "alarm"u8);
        w.WriteNumber("seq"u8, a.Seq);
        w.WriteNumber("atMs"u8, a.AtMs);
        if (dropped is { } d)
        {
            w.WriteNumber("dropped"u8, d);
        }

        w.WritePropertyName("alarm"u8);
        JsonSerializer.Serialize(w, a.Alarm, Options);
        if (a.Status is { } status)
        {
            w.WritePropertyName("workflow"u8);
            JsonSerializer.Serialize(w, status, Options);
        }

        if (a.Change is { } change)
        {
            w.WritePropertyName("change"u8);
            JsonSerializer.Serialize(w, change, Options);
        }

        w.WriteEndObject();
    }

    public static void WriteSnapshot(Utf8JsonWriter w, LiveSnapshot snapshot, LiveFilter filter, long dropped)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "snapshot"u8);
        w.WriteNumber("seq"u8, snapshot.Seq);
        w.WriteNumber("dropped"u8, dropped);
        w.WriteStartArray("areas"u8);
        foreach (var area in snapshot.Figures.GroupBy(u => (u.Level, u.Key)))
        {
            var first = area.First();
            w.WriteStartObject();
            WriteArea(w, first);
            w.WriteStartArray("kinds"u8);
            foreach (var u in area)
            {
                WriteFigures(w, u.Figures, filter);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("alarms"u8);
        foreach (var alarm in snapshot.ActiveAlarms)
        {
            // The alarm's fields as in an alarm message, and its workflow beside them (once per subscriber, not per update).
            var node = (JsonObject)JsonSerializer.SerializeToNode(alarm.Alarm, Options)!;
            if (alarm.Status is { } status)
            {
                node["workflow"] = JsonSerializer.SerializeToNode(status, Options);
            }

            node.WriteTo(w, Options);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteStatus(Utf8JsonWriter w, long lastSeq, long dropped, int buffered)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "status"u8);
        w.WriteNumber("seq"u8, lastSeq);
        w.WriteNumber("dropped"u8, dropped);
        w.WriteNumber("buffered"u8, buffered);
        w.WriteEndObject();
    }

    private static void WriteArea(Utf8JsonWriter w, IndicatorUpdate u)
    {
        w.WriteString("level"u8, u.Level);
        w.WriteString("key"u8, u.Key);
        w.WriteString("district"u8, u.District);
        w.WriteString("community"u8, u.Community);
    }

    /// <summary>
    /// The kind's figures; with an indicator filter only the named properties (kind always) and the named metrics.
    /// Filtering goes through a JSON node so that it works for every property, present or future.
    /// </summary>
    private static void WriteFigures(Utf8JsonWriter w, KindSnapshot figures, LiveFilter filter)
    {
        if (filter.Indicators is not { } selected)
        {
            JsonSerializer.Serialize(w, figures, Options);
            return;
        }

        var node = (JsonObject)JsonSerializer.SerializeToNode(figures, Options)!;
        foreach (var name in node.Select(p => p.Key).ToArray())
        {
            if (name == "kind" || selected.Contains(name))
            {
                continue;
            }

            if (name == "metrics" && node[name] is JsonArray metrics)
            {
                var kept = metrics.Where(m => m?["name"]?.GetValue<string>() is { } n && selected.Contains(n)).Select(m => m!.DeepClone()).ToArray();
                if (kept.Length > 0)
                {
                    node[name] = new JsonArray(kept);
                    continue;
                }
            }

            node.Remove(name);
        }

        node.WriteTo(w, Options);
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
