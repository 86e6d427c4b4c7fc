using System.Runtime.InteropServices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Grains.State;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// A community's devices and whether each is online. Offline detection runs from one timer per community
/// (<see cref="Check"/>), never one timer or reminder per device. Pure logic: the community grain wraps it.
/// </summary>
public sealed class DeviceRoster(LivenessOptions options)
{
    // A hash map, not a sorted one: every reading looks its device up, and a million devices' nodes cost 56 B each
    // against 24 for an entry. What reports devices in order sorts them itself (Check); stored state need not be ordered.
    private readonly Dictionary<string, RosterEntry> _devices = new(StringComparer.Ordinal);

    public int Count => _devices.Count;

    /// <summary>Entries the roster has room for (tests: what a check gives back).</summary>
    internal int Room => _devices.Capacity;

    public IReadOnlyDictionary<string, RosterEntry> Devices => _devices;

    /// <summary>An operator provisioned the device here (or moved it here): registered, offline until it reports.</summary>
    public void Register(string device, string kind, TimeSpan? expectedInterval)
    {
        ref var entry = ref Entry(device, kind);
        entry.Kind = kind;
        entry.ExpectedInterval = expectedInterval;
    }

    /// <summary>Decommissioned or moved away: no longer counted here.</summary>
    public bool Remove(string device) => _devices.Remove(device);

    /// <summary>An accepted reading arrived. Returns true when the device was offline and is back online.</summary>
    public bool Seen(string device, string kind, long eventMs, long receivedAtMs)
    {
        ref var entry = ref Entry(device, kind);
        entry.LastSeenMs = Math.Max(entry.LastSeenMs ?? long.MinValue, receivedAtMs);
        if (eventMs > entry.LastEventMs)
        {
            entry.FirstEventMs = Math.Min(entry.FirstEventMs, eventMs);
            entry.LastEventMs = eventMs;
            entry.InOrderReadings++;
        }

        var back = !entry.Online && entry.OfflineSinceMs != 0;
        entry.Online = true;
        entry.OfflineSinceMs = 0;
        return back;
    }

    /// <summary>Marks devices silent beyond their threshold offline; returns those that just went offline, by device id.</summary>
    public List<(string Device, RosterEntry Entry)> Check(long nowMs)
    {
        var wentOffline = new List<(string, RosterEntry)>();
        foreach (var device in _devices.Keys)
        {
            // In place: setting a value through its reference is no change to the dictionary's keys or its enumeration.
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_devices, device);
            if (entry.Online && entry.LastSeenMs is { } seen && nowMs - seen > ThresholdMs(entry))
            {
                entry.Online = false;
                entry.OfflineSinceMs = seen;
                wentOffline.Add((device, entry));
            }
        }

        wentOffline.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        // Between checks the roster only grows by devices seen for the first time: give back what its growth by
        // doubling left unused (a community of 200 devices held room for 331), once it has settled.
        if (_devices.Capacity > _devices.Count + _devices.Count / 4 + 8)
        {
            _devices.TrimExcess();
        }

        return wentOffline;
    }

    /// <summary>Silence after which the device is offline: N of its intervals (expected, else observed), at least the minimum.</summary>
    public double ThresholdMs(in RosterEntry entry)
    {
        var interval = entry.ExpectedInterval?.TotalMilliseconds ?? entry.ObservedIntervalMs;
        var minimum = options.MinimumSilence.TotalMilliseconds;
        return interval is { } i ? Math.Max(options.IntervalsOfSilence * i, minimum) : minimum;
    }

    public RosterEntryState[] ToState() => _devices.Select(d => new RosterEntryState(d.Key, d.Value.Kind, d.Value.LastSeenMs,
        d.Value.FirstEventMs, d.Value.LastEventMs, d.Value.InOrderReadings, d.Value.ExpectedInterval, d.Value.Online, d.Value.OfflineSinceMs)).ToArray();

    public void Restore(IReadOnlyCollection<RosterEntryState> entries)
    {
        _devices.Clear();
        _devices.EnsureCapacity(entries.Count);
        foreach (var e in entries)
        {
            _devices[e.Device] = new RosterEntry(e.Kind)
            {
                LastSeenMs = e.LastSeenMs,
                FirstEventMs = e.FirstEventMs,
                LastEventMs = e.LastEventMs,
                InOrderReadings = e.InOrderReadings,
                ExpectedInterval = e.ExpectedInterval,
                Online = e.Online,
                OfflineSinceMs = e.OfflineSinceMs,
            };
        }
    }

    /// <summary>
    /// The devices per kind, in kind order. One pass over the entries, counted in place: a GroupBy copied every entry
    /// (64 bytes since entries are structs) into its groups, about 25 KB per community at every flush, report and
    /// liveness check, a quarter of the silo's allocations at a million devices (benchmarks/RESULTS.md §44).
    /// </summary>
    public DeviceCounts[] Counts()
    {
        var counted = new KindCount[4];
        var used = 0;
        foreach (var entry in _devices.Values)
        {
            var k = 0;
            while (k < used && !string.Equals(counted[k].Kind, entry.Kind, StringComparison.Ordinal))
            {
                k++;
            }

            if (k == used)
            {
                if (used == counted.Length)
                {
                    Array.Resize(ref counted, used * 2);
                }

                counted[used++] = new KindCount(entry.Kind);
            }

            ref var c = ref counted[k];
            c.Registered++;
            c.Reporting += entry.LastSeenMs is not null ? 1 : 0;
            c.Online += entry.Online ? 1 : 0;
            // Summed in the entries' order, as the GroupBy did: the rounded figure is reported upward when it changes.
            c.ExpectedPerHour += ExpectedPerHour(entry);
        }

        Array.Sort(counted, 0, used, KindCount.ByKind);
        var result = new DeviceCounts[used];
        for (var k = 0; k < used; k++)
        {
            var c = counted[k];
            result[k] = new DeviceCounts(c.Kind, c.Registered, c.Reporting, c.Online, c.Registered - c.Online)
            {
                // Rounded: an observed interval drifts a little with every reading, and a changed count is reported upward.
                ExpectedPerHour = Math.Round(c.ExpectedPerHour, 1),
            };
        }

        return result;
    }

    private struct KindCount(string kind)
    {
        public static readonly IComparer<KindCount> ByKind = Comparer<KindCount>.Create((a, b) => string.CompareOrdinal(a.Kind, b.Kind));

        public readonly string Kind = kind;
        public long Registered;
        public long Reporting;
        public long Online;
        public double ExpectedPerHour;
    }

    private static double ExpectedPerHour(in RosterEntry entry) =>
        (entry.ExpectedInterval?.TotalMilliseconds ?? entry.ObservedIntervalMs) is { } ms && ms > 0 ? 3_600_000 / ms : 0;

    private ref RosterEntry Entry(string device, string kind)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_devices, device, out var exists);
        if (!exists)
        {
            entry = new RosterEntry(kind);
        }

        return ref entry;
    }
}
