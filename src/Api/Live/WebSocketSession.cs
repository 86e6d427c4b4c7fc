using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using CitySense.Live;

namespace CitySense.Api.Live;

/// <summary>WebSocket framing: one text message per live message, the same JSON as SSE.</summary>
internal sealed class WebSocketSession(LiveSubscriber subscriber, TimeSpan statusInterval, WebSocket socket) : LiveSession(subscriber, statusInterval)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly List<(int Start, int Length)> _messages = [];
    private readonly Utf8JsonWriter _json = new(Stream.Null);

    protected override void WriteMessage(string type, long seq, Action<Utf8JsonWriter> write)
    {
        var start = _buffer.WrittenCount;
        _json.Reset(_buffer);
        write(_json);
        _json.Flush();
        _messages.Add((start, _buffer.WrittenCount - start));
    }

    protected override async ValueTask FlushAsync(CancellationToken ct)
    {
        var written = _buffer.WrittenMemory;
        foreach (var (start, length) in _messages)
        {
            await socket.SendAsync(written.Slice(start, length), WebSocketMessageType.Text, endOfMessage: true, ct);
        }

        _messages.Clear();
        _buffer.ResetWrittenCount();
    }
}
