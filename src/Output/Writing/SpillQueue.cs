using System.Globalization;

namespace CitySense.Output.Writing;

/// <summary>
/// Line protocol that did not fit the memory budget, kept on disk in order: numbered segment files, appended at the tail
/// and read from the head. It survives a restart (the segments are found again at start-up). Past the disk cap the oldest
/// segments are dropped whole and counted. Not thread-safe: the sink calls it under its lock.
/// </summary>
public sealed class SpillQueue
{
    private const long SegmentBytes = 4 * 1024 * 1024;

    private readonly string _folder;
    private readonly long _maxBytes;
    private readonly LinkedList<Segment> _segments = new();
    private long _next;
    private long _headOffset;

    public SpillQueue(string folder, long maxBytes)
    {
        _folder = folder;
        _maxBytes = maxBytes;
        Directory.CreateDirectory(folder);
        foreach (var path in Directory.GetFiles(folder, "spill-*.lp").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            var lines = bytes.AsSpan().Count((byte)'\n');
            var number = long.Parse(Path.GetFileNameWithoutExtension(path)["spill-".Length..], CultureInfo.InvariantCulture);
            _segments.AddLast(new Segment(path, bytes.Length, lines));
            _next = Math.Max(_next, number + 1);
            Bytes += bytes.Length;
            Lines += lines;
        }
    }

    public long Bytes { get; private set; }

    public long Lines { get; private set; }

    public bool IsEmpty => _segments.Count == 0;

    public string Folder => _folder;

    /// <summary>Appends complete lines; returns how many lines the disk cap forced out (oldest first).</summary>
    public long Append(ReadOnlySpan<byte> lines, int lineCount)
    {
        var tail = _segments.Last?.Value;
        if (tail is null || tail.Bytes + lines.Length > SegmentBytes)
        {
            tail = new Segment(Path.Combine(_folder, $"spill-{_next++:D12}.lp"), 0, 0);
            _segments.AddLast(tail);
        }

        using (var file = new FileStream(tail.Path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            file.Write(lines);
        }

        tail.Bytes += lines.Length;
        tail.Lines += lineCount;
        Bytes += lines.Length;
        Lines += lineCount;

        long dropped = 0;
        while (Bytes > _maxBytes && _segments.Count > 1)
        {
            dropped += RemoveHead();
        }

        return dropped;
    }

    /// <summary>The next lines to send from the head segment: at most <paramref name="maxBytes"/>, ending at a line end.</summary>
    public (byte[] Buffer, int Bytes, int Lines)? Peek(int maxBytes)
    {
        if (_segments.First?.Value is not { } head)
        {
            return null;
        }

        using var file = File.OpenRead(head.Path);
        file.Seek(_headOffset, SeekOrigin.Begin);
        var buffer = new byte[(int)Math.Min(maxBytes, head.Bytes - _headOffset)];
        file.ReadExactly(buffer);
        var end = buffer.AsSpan().LastIndexOf((byte)'\n') + 1;
        if (end == 0)
        {
            // A single line longer than a request: send it whole.
            var whole = new byte[head.Bytes - _headOffset];
            file.Seek(_headOffset, SeekOrigin.Begin);
            file.ReadExactly(whole);
            end = whole.AsSpan().IndexOf((byte)'\n') + 1;
            return (whole, end, 1);
        }

        return (buffer, end, buffer.AsSpan(0, end).Count((byte)'\n'));
    }

    /// <summary>The peeked lines were written: forget them (and the segment, once all of it is written).</summary>
    public void Commit(int bytes, int lines)
    {
        var head = _segments.First!.Value;
        _headOffset += bytes;
        Bytes -= bytes;
        Lines -= lines;
        head.WrittenLines += lines;
        if (_headOffset >= head.Bytes)
        {
            File.Delete(head.Path);
            _segments.RemoveFirst();
            _headOffset = 0;
        }
    }

    private long RemoveHead()
    {
        var head = _segments.First!.Value;
        _segments.RemoveFirst();
        File.Delete(head.Path);
        var lines = head.Lines - head.WrittenLines;
        Bytes -= head.Bytes - _headOffset;
        Lines -= lines;
        _headOffset = 0;
        return lines;
    }

    private sealed class Segment(string path, long bytes, long lines)
    {
        public string Path { get; } = path;
        public long Bytes { get; set; } = bytes;
        public long Lines { get; set; } = lines;
        public long WrittenLines { get; set; }
    }
}
