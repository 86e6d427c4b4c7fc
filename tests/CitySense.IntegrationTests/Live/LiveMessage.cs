using System.Text.Json;

namespace CitySense.IntegrationTests.Live;

/// <summary>One message a live subscriber received (SSE event or WebSocket text message).</summary>
public sealed record LiveMessage(string Type, long Seq, long Dropped, JsonElement Body)
{
    public static LiveMessage Parse(string json)
    {
        var body = JsonDocument.Parse(json).RootElement.Clone();
        return new LiveMessage(
            body.GetProperty("type").GetString()!,
            body.TryGetProperty("seq", out var seq) ? seq.GetInt64() : 0,
            body.TryGetProperty("dropped", out var dropped) ? dropped.GetInt64() : 0,
            body);
    }

    /// <summary>(level, key, kind) of an indicators message.</summary>
    public (string Level, string Key, string Kind) AreaKind =>
        (Body.GetProperty("level").GetString()!, Body.GetProperty("key").GetString()!, Body.GetProperty("kind").GetString()!);

    public long Accepted => Body.GetProperty("figures").GetProperty("accepted").GetInt64();
}
