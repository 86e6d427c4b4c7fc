using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace CitySense.Ingest.Decoding;

/// <summary>
/// Number tokens read without allocating. Utf8JsonReader's own TryGet* copy a number that spans payload segments into a
/// new array; here it is copied to the stack instead. JSON number syntax is a subset of what Utf8Parser accepts.
/// </summary>
internal static class Numbers
{
    // Covers every number a device sends in practice; a longer one (300 digits are valid JSON) takes the reader's own
    // allocating path, so the result never depends on where the payload was cut.
    private const int MaxNumberBytes = 64;

    public static bool TryGetInt64(ref Utf8JsonReader reader, out long value)
    {
        if (!IsShortAndSplit(ref reader))
        {
            return reader.TryGetInt64(out value);
        }

        Span<byte> buffer = stackalloc byte[MaxNumberBytes];
        var bytes = CopyTo(reader.ValueSequence, buffer);
        return Utf8Parser.TryParse(bytes, out value, out var consumed) && consumed == bytes.Length;
    }

    public static bool TryGetUInt64(ref Utf8JsonReader reader, out ulong value)
    {
        if (!IsShortAndSplit(ref reader))
        {
            return reader.TryGetUInt64(out value);
        }

        Span<byte> buffer = stackalloc byte[MaxNumberBytes];
        var bytes = CopyTo(reader.ValueSequence, buffer);
        return Utf8Parser.TryParse(bytes, out value, out var consumed) && consumed == bytes.Length;
    }

    public static bool TryGetDouble(ref Utf8JsonReader reader, out double value)
    {
        if (!IsShortAndSplit(ref reader))
        {
            return reader.TryGetDouble(out value);
        }

        Span<byte> buffer = stackalloc byte[MaxNumberBytes];
        var bytes = CopyTo(reader.ValueSequence, buffer);
        return Utf8Parser.TryParse(bytes, out value, out var consumed) && consumed == bytes.Length;
    }

    /// <summary>The token spans segments (the reader would allocate) and fits the stack buffer.</summary>
    private static bool IsShortAndSplit(ref Utf8JsonReader reader) =>
        reader.HasValueSequence && reader.ValueSequence.Length <= MaxNumberBytes;

    private static Span<byte> CopyTo(in ReadOnlySequence<byte> sequence, Span<byte> buffer)
    {
        sequence.CopyTo(buffer);
        return buffer[..(int)sequence.Length];
    }
}
