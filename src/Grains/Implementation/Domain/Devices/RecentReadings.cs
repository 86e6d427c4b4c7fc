using System.Runtime.CompilerServices;

namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// The (ts, seq) of a device's most recent readings, to count a repeated reading once: same seq, or same ts, as one of
/// them. Fixed size and packed: each reading is two 32-bit offsets (its ts from an anchor in milliseconds, its seq from
/// a base) in one inline slot, 8 bytes a reading instead of 16 and no separate array, so a million devices cost about
/// 300 bytes each here instead of 576. A struct held in its device's state (its own object was a header and a
/// reference more per device): copy it and the copy goes its own way. Offsets cover about 37 days before the newest anchor and 12 after; a reading that
/// does not fit moves the anchor, and if the kept readings then do not fit either (a device whose last 32 readings span
/// more than about 49 days, or whose seq jumped by more than 2^31), the device keeps full 64-bit entries from then on.
/// Exact either way: a ts or seq that cannot be expressed as an offset cannot equal a kept one.
/// </summary>
public struct RecentReadings
{
    public const int Size = 32;

    // New anchors sit this far before the reading that sets them: room for the past (out-of-order and older readings)
    // and for about 12 days of newer readings before the next move.
    private const long Headroom = 1L << 30;

    private Slots _slots;
    private Entry[]? _wide;
    private long _tsAnchor;
    private ulong _seqBase;
    private bool _seqBased;
    private uint _hasSeq;
    // At most Size (32): bytes, so the struct is 288 bytes, not 296.
    private byte _count;
    private byte _next;

    public bool Contains(long timestampMs, ulong seq, bool hasSeq)
    {
        if (_wide is not null)
        {
            for (var i = 0; i < _count; i++)
            {
                ref readonly var e = ref _wide[i];
                if (e.TimestampMs == timestampMs || (hasSeq && (_hasSeq & (1u << i)) != 0 && e.Seq == seq))
                {
                    return true;
                }
            }

            return false;
        }

        var tsFits = TryOffset(timestampMs, _tsAnchor, out var ts);
        var seqOffset = 0;
        var seqFits = hasSeq && _seqBased && TryOffset(seq, _seqBase, out seqOffset);
        if (!tsFits && !seqFits)
        {
            return false;
        }

        for (var i = 0; i < _count; i++)
        {
            var slot = _slots[i];
            if ((tsFits && (int)(slot >> 32) == ts) || (seqFits && (_hasSeq & (1u << i)) != 0 && (int)slot == seqOffset))
            {
                return true;
            }
        }

        return false;
    }

    public void Add(long timestampMs, ulong seq, bool hasSeq)
    {
        if (_wide is null && !TryAddPacked(timestampMs, seq, hasSeq))
        {
            Widen();
        }

        if (_wide is not null)
        {
            _wide[_next] = new Entry(timestampMs, seq);
        }

        _hasSeq = hasSeq ? _hasSeq | (1u << _next) : _hasSeq & ~(1u << _next);
        _next = (byte)((_next + 1) % Size);
        _count = (byte)Math.Min(_count + 1, Size);
    }

    /// <summary>Stores the reading packed at <see cref="_next"/>, moving the anchors if need be; false when it cannot.</summary>
    private bool TryAddPacked(long timestampMs, ulong seq, bool hasSeq)
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

        var sq = 0;
        if (hasSeq)
        {
            if (!_seqBased)
            {
                _seqBase = SeqBaseFor(seq);
                _seqBased = true;
            }

            if (!TryOffset(seq, _seqBase, out sq) && !(TryOffset(seq, SeqBaseFor(seq), out sq) && RebaseSeq(SeqBaseFor(seq))))
            {
                return false;
            }
        }

        // The slot being overwritten leaves the window, so it must not stop a rebase: Rebase skips it.
        _slots[_next] = ((ulong)(uint)ts << 32) | (uint)sq;
        return true;
    }

    /// <summary>Moves the ts anchor and every kept ts offset with it; false (nothing changed) when one no longer fits.</summary>
    private bool RebaseTs(long anchor)
    {
        var moved = _slots;
        for (var i = 0; i < _count; i++)
        {
            if (i == _next && _count == Size)
            {
                continue; // about to be overwritten: it leaves the window
            }

            if (!TryOffset(_tsAnchor + (int)(_slots[i] >> 32), anchor, out var offset))
            {
                return false;
            }

            moved[i] = ((ulong)(uint)offset << 32) | (uint)_slots[i];
        }

        _slots = moved;
        _tsAnchor = anchor;
        return true;
    }

    /// <summary>Moves the seq base and every kept seq offset with it; false (nothing changed) when one no longer fits.</summary>
    private bool RebaseSeq(ulong seqBase)
    {
        var moved = _slots;
        for (var i = 0; i < _count; i++)
        {
            if ((i == _next && _count == Size) || (_hasSeq & (1u << i)) == 0)
            {
                continue;
            }

            if (!TryOffset(SeqAt(i), seqBase, out var offset))
            {
                return false;
            }

            moved[i] = (_slots[i] & 0xFFFF_FFFF_0000_0000) | (uint)offset;
        }

        _slots = moved;
        _seqBase = seqBase;
        return true;
    }

    /// <summary>Full 64-bit entries from now on, converted from the packed ones.</summary>
    private void Widen()
    {
        var wide = new Entry[Size];
        for (var i = 0; i < _count; i++)
        {
            var slot = _slots[i];
            wide[i] = new Entry(_tsAnchor + (int)(slot >> 32), SeqAt(i));
        }

        _wide = wide;
    }

    /// <summary>
    /// The signed distance from <paramref name="origin"/> to <paramref name="value"/> when it fits 32 bits. Both ts
    /// (long) and seq (ulong) widen to Int128 exactly, so the distance never wraps around.
    /// </summary>
    private static bool TryOffset(Int128 value, Int128 origin, out int offset)
    {
        var difference = value - origin;
        offset = (int)difference;
        return difference >= int.MinValue && difference <= int.MaxValue;
    }

    /// <summary>The seq kept in slot <paramref name="i"/> (its offset is signed: a device's seq may restart lower).</summary>
    private ulong SeqAt(int i) => unchecked(_seqBase + (ulong)(long)(int)_slots[i]);

    // Seqs are unsigned: a base below zero would wrap, so it stops at zero.
    private static ulong SeqBaseFor(ulong seq) => seq < Headroom ? 0 : seq - Headroom;

    private static long SaturatingSubtract(long value, long amount) => value < long.MinValue + amount ? long.MinValue : value - amount;

    private readonly record struct Entry(long TimestampMs, ulong Seq);

    [InlineArray(Size)]
    private struct Slots
    {
        private ulong _element;
    }
}
