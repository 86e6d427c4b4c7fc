namespace CitySense.Grains.Domain;

/// <summary>
/// The (ts, seq) of a device's most recent readings, to count a repeated reading once: same seq, or same ts, as one of
/// them. Fixed size and packed (16 bytes a reading, one bit for "has a seq"), so a million devices cost about half a
/// kilobyte each here, however long they run.
/// </summary>
public sealed class RecentReadings
{
    public const int Size = 32;
    private readonly Entry[] _entries = new Entry[Size];
    private uint _hasSeq;
    private int _count;
    private int _next;

    public bool Contains(long timestampMs, ulong seq, bool hasSeq)
    {
        for (var i = 0; i < _count; i++)
        {
            ref readonly var e = ref _entries[i];
            if (e.TimestampMs == timestampMs || (hasSeq && (_hasSeq & (1u << i)) != 0 && e.Seq == seq))
            {
                return true;
            }
        }

        return false;
    }

    public void Add(long timestampMs, ulong seq, bool hasSeq)
    {
        _entries[_next] = new Entry(timestampMs, seq);
        _hasSeq = hasSeq ? _hasSeq | (1u << _next) : _hasSeq & ~(1u << _next);
        _next = (_next + 1) % Size;
        _count = Math.Min(_count + 1, Size);
    }

    private readonly record struct Entry(long TimestampMs, ulong Seq);
}
