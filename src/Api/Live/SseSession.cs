using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using CitySense.Live;

namespace CitySense.Api.Live;

/// <summary>Server-Sent Events framing: "id: {seq}", "event: {type}", one "data:" line of JSON, a blank line.</summary>
internal sealed class SseSession(LiveSubscriber subscriber, TimeSpan statusInterval, PipeWriter output) : LiveSession(subscriber, statusInterval)
{
    private readonly Utf8JsonWriter _json = new(output);

    protected override void WriteMessage(string type, long seq, Action<Utf8JsonWriter> write)
    {
        Span<byte> number = stackalloc byte[20];
        output.Write("id: "u8);
        seq.TryFormat(number, out var length, provider: CultureInfo.InvariantCulture);
        output.Write(number[..length]);
        output.Write("\nevent: "u8);
        output.Write(Encoding.UTF8.GetBytes(type));
        output.Write("\ndata: "u8);
        _json.Reset(output);
        write(_json);
        _json.Flush();
        output.Write("\n\n"u8);
    }

    protected override async ValueTask FlushAsync(CancellationToken ct) => await output.FlushAsync(ct);
}
