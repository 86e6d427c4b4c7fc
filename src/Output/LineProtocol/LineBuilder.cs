using System.Buffers;
using System.Globalization;
using System.Text;

namespace CitySense.Output.LineProtocol;

/// <summary>
/// Builds InfluxDB line protocol into a pooled buffer: numbers with the invariant culture, escaping per the
/// line-protocol rules, timestamps in milliseconds. Reuse one builder with <see cref="Clear"/>; dispose returns the buffer.
/// </summary>
public sealed class LineBuilder : IDisposable
{
    // What line protocol escapes in a measurement, tag or field key (',' and ' ', '=' outside measurements) and what it
    // cannot carry (newlines). Names and ids almost never contain these, so they are copied as a block.
    private static readonly SearchValues<char> Special = SearchValues.Create(",= \n\r");

    private byte[] _buffer;
    private int _length;
    private bool _firstField;

    public LineBuilder(int initialBytes = 4096) => _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public int Lines { get; private set; }

    public bool IsEmpty => _length == 0;

    public void Clear()
    {
        _length = 0;
        Lines = 0;
    }

    public LineBuilder Measurement(string name)
    {
        AppendEscaped(name, escapeEquals: false);
        _firstField = true;
        return this;
    }

    public LineBuilder Tag(string key, string value)
    {
        if (value.Length == 0)
        {
            // Line protocol has no empty tag values; an absent tag is the same series.
            return this;
        }

        AppendByte((byte)',');
        AppendEscaped(key, escapeEquals: true);
        AppendByte((byte)'=');
        AppendEscaped(value, escapeEquals: true);
        return this;
    }

    public LineBuilder Tags(ReadOnlySpan<KeyValuePair<string, string>> tags)
    {
        foreach (var tag in tags)
        {
            Tag(tag.Key, tag.Value);
        }

        return this;
    }

    public LineBuilder Field(string key, double value)
    {
        if (!double.IsFinite(value))
        {
            // Line protocol cannot carry NaN or infinities; such a field is left out rather than breaking the batch.
            return this;
        }

        FieldKey(key);
        Ensure(32);
        if (Math.Abs(value) < 1e12)
        {
            // Meters and sensors report at most three decimals. Such a value, written as thousandths, skips the
            // shortest-round-trip search; it is taken only when those thousandths read back as exactly this double
            // (k / 1000.0 is correctly rounded), and then it is the same text "R" gives (below 1e12 "R" has no exponent).
            var thousandths = Math.Round(value * 1000);
            if (thousandths / 1000 == value)
            {
                AppendThousandths((long)thousandths);
                return this;
            }
        }

        // "R": the shortest string that round-trips.
        value.TryFormat(_buffer.AsSpan(_length), out var n, "R", CultureInfo.InvariantCulture);
        _length += n;
        return this;
    }

    public LineBuilder Field(string key, decimal value)
    {
        FieldKey(key);
        Ensure(32);
        value.TryFormat(_buffer.AsSpan(_length), out var n, default, CultureInfo.InvariantCulture);
        _length += n;
        return this;
    }

    public LineBuilder Field(string key, long value)
    {
        FieldKey(key);
        Ensure(24);
        value.TryFormat(_buffer.AsSpan(_length), out var n, default, CultureInfo.InvariantCulture);
        _length += n;
        AppendByte((byte)'i');
        return this;
    }

    /// <summary>A string field: quoted, with '"' and '\' escaped.</summary>
    public LineBuilder Field(string key, string value)
    {
        FieldKey(key);
        Ensure(value.Length * 4 + 2);
        _buffer[_length++] = (byte)'"';
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                _buffer[_length++] = (byte)'\\';
            }

            if (c < 0x80)
            {
                // A raw newline would end the point even inside quotes for some parsers; keep points on one line.
                _buffer[_length++] = c is '\n' or '\r' ? (byte)' ' : (byte)c;
            }
            else
            {
                _length += System.Text.Encoding.UTF8.GetBytes([c], _buffer.AsSpan(_length));
            }
        }

        _buffer[_length++] = (byte)'"';
        return this;
    }

    /// <summary>Ends the line with a Unix-millisecond timestamp (write with precision=ms).</summary>
    public void End(long timestampMs)
    {
        if (_firstField)
        {
            throw new InvalidOperationException("A line-protocol point needs at least one field.");
        }

        AppendByte((byte)' ');
        Ensure(24);
        timestampMs.TryFormat(_buffer.AsSpan(_length), out var n, default, CultureInfo.InvariantCulture);
        _length += n;
        AppendByte((byte)'\n');
        Lines++;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void AppendThousandths(long thousandths)
    {
        if (thousandths < 0)
        {
            _buffer[_length++] = (byte)'-';
            thousandths = -thousandths;
        }

        var whole = thousandths / 1000;
        var fraction = (int)(thousandths - whole * 1000);
        whole.TryFormat(_buffer.AsSpan(_length), out var n, default, CultureInfo.InvariantCulture);
        _length += n;
        if (fraction == 0)
        {
            return;
        }

        _buffer[_length++] = (byte)'.';
        _buffer[_length++] = (byte)('0' + fraction / 100);
        fraction %= 100;
        if (fraction != 0)
        {
            _buffer[_length++] = (byte)('0' + fraction / 10);
            fraction %= 10;
            if (fraction != 0)
            {
                _buffer[_length++] = (byte)('0' + fraction);
            }
        }
    }

    private void FieldKey(string key)
    {
        AppendByte(_firstField ? (byte)' ' : (byte)',');
        _firstField = false;
        AppendEscaped(key, escapeEquals: true);
        AppendByte((byte)'=');
    }

    private void AppendEscaped(string value, bool escapeEquals)
    {
        Ensure(value.Length * 4 + 2);
        if (!value.AsSpan().ContainsAny(Special) && Ascii.FromUtf16(value, _buffer.AsSpan(_length), out var copied) == OperationStatus.Done)
        {
            // Plain ASCII with nothing to escape (nearly every name and id): one vectorized copy.
            _length += copied;
            return;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            // Newlines cannot be escaped in line protocol (they would end the point): they become an escaped space.
            if (c is '\n' or '\r')
            {
                c = ' ';
            }

            if (c is ',' or ' ' || (escapeEquals && c == '='))
            {
                _buffer[_length++] = (byte)'\\';
            }

            if (c < 0x80)
            {
                _buffer[_length++] = (byte)c;
            }
            else
            {
                // Encode a surrogate pair together, or it would become two replacement characters.
                var count = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
                _length += System.Text.Encoding.UTF8.GetBytes(value.AsSpan(i, count), _buffer.AsSpan(_length));
                i += count - 1;
            }
        }
    }

    private void AppendByte(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
