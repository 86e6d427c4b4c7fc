using CitySense.Contracts.Indicators;
using CitySense.Grains.State;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// The batches an area applied most recently, by id, with what it returned for each: a retried call is answered, not
/// applied again. A ring of slots whose totals are copied into arrays the slot keeps.
/// </summary>
/// <remarks>
/// Why copies: a queue of records holding the returned arrays kept each batch's objects for the next 32 batches, long
/// enough to be promoted, and then they died in gen2 (16 MB in 1.5 minutes at a million devices, benchmarks/RESULTS.md
/// §61). A slot's array is reused while a batch's totals fit in it, so what each batch allocates dies young.
/// </remarks>
public sealed class AppliedBatches
{
    private readonly Slot[] _slots;
    private int _next;
    private int _count;

    public AppliedBatches(int kept)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kept, 1);
        _slots = new Slot[kept];
    }

    public int Count => _count;

    /// <summary>What the batch of this id returned, as a new array, if it is among the last ones applied.</summary>
    public bool TryGet(string id, out SourceTotal[] totals)
    {
        // A loop, not a lookup: a few dozen slots, compared by reference first (one batch id string is shared by every
        // area of a silo that batch reaches).
        for (var i = 0; i < _count; i++)
        {
            ref readonly var slot = ref _slots[i];
            if (ReferenceEquals(slot.Id, id) || string.Equals(slot.Id, id, StringComparison.Ordinal))
            {
                totals = slot.Totals.AsSpan(0, slot.Length).ToArray();
                return true;
            }
        }

        totals = [];
        return false;
    }

    /// <summary>Keeps a copy of what the batch returned; past the ring's size the oldest batch is forgotten.</summary>
    public void Add(string id, ReadOnlySpan<SourceTotal> totals)
    {
        ref var slot = ref _slots[_next];
        slot.Id = id;
        if (slot.Totals is null || slot.Totals.Length < totals.Length)
        {
            slot.Totals = new SourceTotal[totals.Length];
        }
        else
        {
            // The kept totals of the batch forgotten hold strings: cleared, so they do not keep them alive.
            Array.Clear(slot.Totals, totals.Length, slot.Length - Math.Min(slot.Length, totals.Length));
        }

        totals.CopyTo(slot.Totals);
        slot.Length = totals.Length;
        _next = (_next + 1) % _slots.Length;
        _count = Math.Min(_count + 1, _slots.Length);
    }

    /// <summary>Stored state: oldest first.</summary>
    public AppliedBatch[] ToState()
    {
        var state = new AppliedBatch[_count];
        var oldest = _count < _slots.Length ? 0 : _next;
        for (var i = 0; i < _count; i++)
        {
            ref readonly var slot = ref _slots[(oldest + i) % _slots.Length];
            state[i] = new AppliedBatch(slot.Id!, slot.Totals.AsSpan(0, slot.Length).ToArray());
        }

        return state;
    }

    /// <summary>Restores stored state (oldest first); past the ring's size only the newest stay.</summary>
    public void Restore(IEnumerable<AppliedBatch> applied)
    {
        foreach (var batch in applied)
        {
            Add(batch.Id, batch.Totals);
        }
    }

    private struct Slot
    {
        public string? Id;
        public SourceTotal[] Totals;
        public int Length;
    }
}
