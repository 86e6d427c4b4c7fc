using CitySense.Contracts.Telemetry;
using System.Collections.Concurrent;
using System.Text;

namespace CitySense.Ingest.Decoding;

/// <summary>
/// Hands out one string instance per distinct id, looked up from chars or ASCII bytes without allocating.
/// Bounded: past <see cref="Capacity"/> entries new ids are still returned, just not kept, so a flood of
/// random ids cannot grow memory without end.
/// </summary>
public sealed class StringInterner
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public StringInterner(int capacity = 4_000_000)
    {
        Capacity = capacity;
        _bySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Capacity { get; }

    public int Count => _strings.Count;

    public string Intern(ReadOnlySpan<char> value)
    {
        if (_bySpan.TryGetValue(value, out var existing))
        {
            return existing;
        }

        var created = value.ToString();
        return _strings.Count >= Capacity ? created : _strings.GetOrAdd(created, created);
    }

    /// <summary>Interns an id already checked to be ASCII (at most <see cref="Ids.MaxLength"/> bytes).</summary>
    public string InternAscii(ReadOnlySpan<byte> ascii)
    {
        Span<char> chars = stackalloc char[Ids.MaxLength];
        var n = Encoding.ASCII.GetChars(ascii, chars);
        return Intern(chars[..n]);
    }
}
