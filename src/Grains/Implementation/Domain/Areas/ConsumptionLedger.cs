using System.Runtime.InteropServices;
using CitySense.Contracts.Indicators;
using CitySense.Grains.State;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// The consumption total (and flow) an area last counted from each of its sources (a community: its devices; a district
/// or the city: each community and kind). Sources report cumulative totals, so the area counts exactly what a total grew
/// by since the last one it saw, whatever happened in between: a batch lost with a silo (grown by more than the batch
/// carries: the rest is added), one redelivered after the area had already stored it (not grown: the batch's consumption
/// is taken back), or two batches applied out of order. In a normal batch the growth equals what the batch carries and
/// nothing changes. Entries of devices that left stay (a late update from before the move must not count the device's
/// whole history again). Pure logic; persisted with its area.
/// </summary>
public sealed class ConsumptionLedger
{
    private readonly Dictionary<string, LedgerEntry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public IReadOnlyDictionary<string, LedgerEntry> Entries => _entries;

    /// <summary>
    /// A batch from <paramref name="source"/> carried <paramref name="counted"/> and left the source at
    /// <paramref name="total"/>. Returns the correction to add to the area (0 in the normal case). A source seen for the
    /// first time grew from <paramref name="startTotal"/> (0 for a community, and for a device that did not move here);
    /// so does one that comes back with a larger start (a device moved away and back: what it counted elsewhere).
    /// </summary>
    public decimal Reconcile(string source, decimal total, decimal counted, decimal startTotal = 0) =>
        Reconcile(source, total, counted, startTotal, register: null, newestMs: long.MinValue, firstSeenMs: 0, flow: null);

    /// <summary>
    /// As above, for a device: the register baseline, newest event time, first sight and latest flow after the update
    /// are kept with its total, all from the same update (the newest by event time, then by total), for
    /// <see cref="Checkpoint"/>.
    /// </summary>
    public decimal Reconcile(string source, decimal total, decimal counted, decimal startTotal, decimal? register, long newestMs, long firstSeenMs, double? flow)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, source, out var exists);
        var previous = exists ? Math.Max(entry.Total, startTotal) : startTotal;
        if (!exists || newestMs > entry.NewestMs || (newestMs == entry.NewestMs && total >= entry.Total))
        {
            entry = new LedgerEntry(Math.Max(total, previous), register ?? (exists ? entry.Register : null), newestMs, firstSeenMs, flow ?? (exists ? entry.Flow : null));
        }
        else if (total > entry.Total)
        {
            // Not expected (a device's total and newest time grow together); counting stays exact either way.
            entry = entry with { Total = total };
        }

        return Math.Max(total - previous, 0) - counted;
    }

    /// <summary>
    /// The flow sum of a source (a community's sum of latest flows of one kind), version <paramref name="version"/>, after
    /// a batch that carried <paramref name="counted"/> of flow change: returns the correction to add to the area's flow
    /// sum. A report older than one already taken only takes back what its batch carried (the newer sum includes it).
    /// </summary>
    public double ReconcileFlow(string source, double flow, double counted, long version)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, source, out var exists);
        if (exists && version < entry.FlowVersion)
        {
            return -counted;
        }

        var previous = exists ? entry.Flow ?? 0 : 0;
        entry = exists ? entry with { Flow = flow, FlowVersion = version } : new LedgerEntry(0, null, long.MinValue, 0, flow, version);
        return flow - previous - counted;
    }

    public DeviceCheckpoint? Checkpoint(string source) =>
        _entries.TryGetValue(source, out var e) && e.NewestMs != long.MinValue ? new DeviceCheckpoint(e.Total, e.Register, e.NewestMs, e.FirstSeenMs) { LastFlow = e.Flow } : null;

    public void Restore(IEnumerable<KeyValuePair<string, LedgerEntry>> entries)
    {
        _entries.Clear();
        foreach (var (key, entry) in entries)
        {
            _entries[key] = entry;
        }
    }
}
