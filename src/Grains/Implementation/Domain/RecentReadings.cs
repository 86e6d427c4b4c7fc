namespace CitySense.Grains.Domain;

/// <summary>
/// The (ts, seq) of a device's most recent readings, to count a repeated reading once: same seq, or same ts, as one of
/// them. Fixed size, so a device costs the same memory however long it runs.
/// </summary>
public sealed class RecentReadings
{
    private const int Size = 64;
    private readonly long[] _timestamps = new long[Size];
    private readonly ulong[] _seqs = new ulong[Size];
    private readonly bool[] _hasSeq = new bool[Size];
    private int _count;
    private int _next;

    public bool Contains(long timestampMs, ulong seq, bool hasSeq)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_timestamps[i] == timestampMs || (hasSeq && _hasSeq[i] && _seqs[i] == seq))
            {
                return true;
            }
        }

        return false;
    }

    public void Add(long timestampMs, ulong seq, bool hasSeq)
    {
        _timestamps[_next] = timestampMs;
        _seqs[_next] = seq;
        _hasSeq[_next] = hasSeq;
        _next = (_next + 1) % Size;
        _count = Math.Min(_count + 1, Size);
    }
}
