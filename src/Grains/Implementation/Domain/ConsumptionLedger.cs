using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CitySense.Contracts.Indicators;

namespace CitySense.Grains.Domain;

/// <summary>
/// The consumption total an area last counted from each of its sources (a community: its devices; a district or the
/// city: each community and kind). Sources report cumulative totals, so the area counts exactly what a total grew by
/// since the last one it saw, whatever happened in between: a batch lost with a silo (grown by more than the batch
/// carries: the rest is added), one redelivered after the area had already stored it (not grown: the batch's consumption
/// is taken back), or two batches applied out of order. In a normal batch the growth equals what the batch carries and
/// nothing changes. Pure logic; persisted with its area.
/// </summary>
public sealed class ConsumptionLedger
{
    private readonly Dictionary<string, LedgerEntry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public IReadOnlyDictionary<string, LedgerEntry> Entries => _entries;

    /// <summary>
    /// A batch from <paramref name="source"/> carried <paramref name="counted"/> and left the source at
    /// <paramref name="total"/>. Returns the correction to add to the area (0 in the normal case). A source seen for the
    /// first time grew from <paramref name="startTotal"/> (0 for a community, and for a device that did not move here).
    /// </summary>
    public decimal Reconcile(string source, decimal total, decimal counted, decimal startTotal = 0)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, source, out var exists);
        var previous = exists ? entry.Total : startTotal;
        if (!exists)
        {
            entry = new LedgerEntry(Math.Max(total, startTotal), null, long.MinValue, 0);
        }
        else if (total > entry.Total)
        {
            entry = entry with { Total = total };
        }

        return Math.Max(total - previous, 0) - counted;
    }

    /// <summary>A device's register baseline and newest reading, kept with its total for <see cref="Checkpoint"/>.</summary>
    public void Advance(string source, decimal? register, long newestMs, long firstSeenMs)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, source);
        if (!Unsafe.IsNullRef(ref entry) && newestMs >= entry.NewestMs)
        {
            entry = entry with { Register = register ?? entry.Register, NewestMs = newestMs, FirstSeenMs = firstSeenMs };
        }
    }

    public DeviceCheckpoint? Checkpoint(string source) =>
        _entries.TryGetValue(source, out var e) ? new DeviceCheckpoint(e.Total, e.Register, e.NewestMs, e.FirstSeenMs) : null;

    /// <summary>A device left the area: a later return starts afresh here (its total then counts from there).</summary>
    public void Remove(string source) => _entries.Remove(source);

    public void Restore(IEnumerable<KeyValuePair<string, LedgerEntry>> entries)
    {
        _entries.Clear();
        foreach (var (key, entry) in entries)
        {
            _entries[key] = entry;
        }
    }
}
