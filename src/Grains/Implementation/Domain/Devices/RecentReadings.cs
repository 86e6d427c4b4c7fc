using System.Runtime.CompilerServices;

namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// The (ts, seq) of a device's most recent readings, to count a repeated reading once: same ts as one of them, or same
/// seq as one of them whose seq is still remembered. A struct held in its device's state (its own object was a header and
/// a reference more per device); a copy shares the widened ts array, if any, with the original. 128 bytes for the last
/// 16 readings: a repeat comes from a sender's in-flight window (a QoS 1 retry, a broker's redelivery, a gateway resending
/// what it was not sure had arrived), far fewer than 16 of one device's readings. 32 readings were 224 bytes, 96 MB
/// more at a million devices, paid by every device for repeats that old (benchmarks/RESULTS.md §61).
/// <list type="bullet">
/// <item>A ts is a 32-bit offset from an anchor in milliseconds: about 37 days before the newest anchor and 12 after. A
/// reading that does not fit moves the anchor; if the kept readings then do not fit either (a device whose last 16
/// readings span more than about 49 days), the device keeps full 64-bit ts from then on. Exact either way.</item>
/// <item>A seq is a 16-bit offset from a reference: the seq of the device's newest reading (by ts) that carried one. A
/// newer reading moves the reference to its seq, and a kept seq that is then more than 32 768 below it or more than
/// 32 767 above it is forgotten for good: the counter restarted or jumped (a gateway restarted with a new base), and a
/// repeat of that older reading is still known by its ts. An older reading (out of order, late) does not move the
/// reference: its seq is kept only if it is within that reach, so one straggler never costs the others their seqs. A
/// load generator that starts each run's seqs from the clock made 16-bit offsets of a fixed base widen every device
/// (benchmarks/RESULTS.md §54); offsets from the newest seq never widen.</item>
/// </list>
/// </summary>
public struct RecentReadings
{
    public const int Size = 16;

    // New anchors sit this far before the reading that sets them: room for the past (out-of-order and older readings)
    // and for about 12 days of newer readings before the next move.
    private const long Headroom = 1L << 30;

    private TsSlots _ts;
    private SeqSlots _seq;
    private long[]? _wideTs;
    private long _tsAnchor;
    private ulong _lastSeq;
    // Bit i: slot i's seq is remembered.
    private uint _hasSeq;
    // At most Size (16): bytes, so the struct is 128 bytes.
    private byte _count;
    private byte _next;

    public bool Contains(long timestampMs, ulong seq, bool hasSeq)
    {
        var tsFits = TryOffset(timestampMs, _tsAnchor, out var ts);
        short seqOffset = 0;
        var seqFits = hasSeq && _hasSeq != 0 && TrySeqOffset(seq, _lastSeq, out seqOffset);
        if (_wideTs is null && !tsFits && !seqFits)
        {
            return false;
        }

        for (var i = 0; i < _count; i++)
        {
            var sameTs = _wideTs is not null ? _wideTs[i] == timestampMs : tsFits && _ts[i] == ts;
            if (sameTs || (seqFits && (_hasSeq & (1u << i)) != 0 && _seq[i] == seqOffset))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Remembers a reading. <paramref name="newest"/>: no kept reading of the device is newer by ts (the device's newest
    /// reading so far, not only the kept ones'), so its seq becomes the reference.
    /// </summary>
    public void Add(long timestampMs, ulong seq, bool hasSeq, bool newest)
    {
        if (_wideTs is null && !TryAddPackedTs(timestampMs))
        {
            Widen();
        }

        if (_wideTs is not null)
        {
            _wideTs[_next] = timestampMs;
        }

        var bit = 1u << _next;
        // The slot being overwritten leaves the window first: its seq must not be moved with the others.
        _hasSeq &= ~bit;
        if (hasSeq)
        {
            if (_hasSeq == 0)
            {
                // No seq remembered: whatever the reference was, it refers to nothing now.
                _lastSeq = seq;
                _seq[_next] = 0;
                _hasSeq |= bit;
            }
            else if (newest)
            {
                MoveSeqBase(seq);
                _seq[_next] = 0;
                _hasSeq |= bit;
            }
            else if (TrySeqOffset(seq, _lastSeq, out var offset))
            {
                _seq[_next] = offset;
                _hasSeq |= bit;
            }
        }

        _next = (byte)((_next + 1) % Size);
        _count = (byte)Math.Min(_count + 1, Size);
    }

    /// <summary>Stores the reading's ts packed at <see cref="_next"/>, moving the anchor if need be; false when it cannot.</summary>
    private bool TryAddPackedTs(long timestampMs)
    {
        if (_count == 0)
        {
            _tsAnchor = SaturatingSubtract(timestampMs, Headroom);
        }

        if (!TryOffset(timestampMs, _tsAnchor, out var ts))
        {
            var anchor = SaturatingSubtract(timestampMs, Headroom);
            if (!TryOffset(timestampMs, anchor, out ts) || !RebaseTs(anchor))
            {
                return false;
            }
        }

        _ts[_next] = ts;
        return true;
    }

    /// <summary>Moves the ts anchor and every kept ts offset with it; false (nothing changed) when one no longer fits.</summary>
    private bool RebaseTs(long anchor)
    {
        var moved = _ts;
        for (var i = 0; i < _count; i++)
        {
            if (i == _next && _count == Size)
            {
                continue; // about to be overwritten: it leaves the window
            }

            if (!TryOffset(_tsAnchor + _ts[i], anchor, out var offset))
            {
                return false;
            }

            moved[i] = offset;
        }

        _ts = moved;
        _tsAnchor = anchor;
        return true;
    }

    /// <summary>
    /// Makes <paramref name="seq"/> the base of the kept seq offsets: each moves by the difference, and one that no longer
    /// fits 16 bits is forgotten. Most devices count their messages one by one, so this is one subtraction a kept reading.
    /// </summary>
    private void MoveSeqBase(ulong seq)
    {
        if (seq != _lastSeq)
        {
            // Int128: seqs are unsigned 64-bit, their difference can be anything.
            var shift = (Int128)seq - _lastSeq;
            if (shift >= 1 << 16 || shift <= -(1 << 16))
            {
                // Kept offsets are within 32 768 of the old reference: a move of 65 536 or more leaves none within reach.
                _hasSeq = 0;
                shift = 0;
            }

            for (var i = 0; i < _count; i++)
            {
                var bit = 1u << i;
                if ((_hasSeq & bit) == 0)
                {
                    continue;
                }

                var moved = _seq[i] - shift;
                if (moved >= short.MinValue && moved <= short.MaxValue)
                {
                    _seq[i] = (short)moved;
                }
                else
                {
                    _hasSeq &= ~bit;
                }
            }
        }

        _lastSeq = seq;
    }

    /// <summary>Full 64-bit ts from now on, converted from the packed ones.</summary>
    private void Widen()
    {
        var wide = new long[Size];
        for (var i = 0; i < _count; i++)
        {
            wide[i] = _tsAnchor + _ts[i];
        }

        _wideTs = wide;
    }

    /// <summary>
    /// The signed distance from <paramref name="origin"/> to <paramref name="value"/> when it fits 32 bits (Int128: the
    /// distance never wraps around).
    /// </summary>
    private static bool TryOffset(Int128 value, Int128 origin, out int offset)
    {
        var difference = value - origin;
        offset = (int)difference;
        return difference >= int.MinValue && difference <= int.MaxValue;
    }

    /// <summary>The signed distance from <paramref name="origin"/> to <paramref name="seq"/> when it fits 16 bits.</summary>
    private static bool TrySeqOffset(ulong seq, ulong origin, out short offset)
    {
        var difference = (Int128)seq - origin;
        offset = (short)difference;
        return difference >= short.MinValue && difference <= short.MaxValue;
    }

    private static long SaturatingSubtract(long value, long amount) => value < long.MinValue + amount ? long.MinValue : value - amount;

    [InlineArray(Size)]
    private struct TsSlots
    {
        private int _element;
    }

    [InlineArray(Size)]
    private struct SeqSlots
    {
        private short _element;
    }
}
