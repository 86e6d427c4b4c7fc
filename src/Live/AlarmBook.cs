using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using Microsoft.Extensions.Options;

namespace CitySense.Live;

/// <summary>
/// The alarms on the operators' list (active, or cleared but not yet acknowledged) and the most recent alarm events, in
/// memory and bounded (GET /api/alarms, snapshots of live subscribers). Fed by the live pump from
/// <see cref="ILiveFeed.AlarmChanged(AlarmRecord)"/>, in sequence order. An alarm announced again (its community's grain
/// moved to this silo after a failure) replaces what is here only when it is newer.
/// </summary>
public sealed class AlarmBook(IOptions<LiveOptions> options)
{
    private readonly Lock _lock = new();
    // The list's alarms by id, each a node of _activeOrder: updates arrive in sequence order, so moving an updated alarm
    // to the end keeps the list ordered by its latest update, and the first is the one to forget (an alarm storm past
    // Live:ActiveAlarmsKept forgets one per new alarm: O(1), where a scan of 10 000 was 2.6 % of a 1M-device silo's CPU).
    private readonly Dictionary<string, LinkedListNode<AlarmUpdate>> _active = new(StringComparer.Ordinal);
    private readonly LinkedList<AlarmUpdate> _activeOrder = new();
    private readonly LinkedList<AlarmUpdate> _recent = new();
    // Nodes are moved and refilled, never dropped while their list is full: a node per update lived as long as the
    // update stayed listed, long enough to be promoted, and then died in gen2 (155 000 in one dump at a million devices,
    // benchmarks/RESULTS.md §62).
    private readonly int _recentKept = Math.Max(1, options.Value.RecentAlarmsKept);
    private readonly int _activeKept = Math.Max(1, options.Value.ActiveAlarmsKept);
    private long _activeForgotten;

    /// <summary>Active alarms forgotten because more than Live:ActiveAlarmsKept were active at once.</summary>
    public long ActiveForgotten => Interlocked.Read(ref _activeForgotten);

    public void Apply(AlarmUpdate update)
    {
        lock (_lock)
        {
            if (_recent.Count >= _recentKept)
            {
                var last = _recent.Last!;
                _recent.RemoveLast();
                last.Value = update;
                _recent.AddFirst(last);
            }
            else
            {
                _recent.AddFirst(update);
            }

            var alarm = update.Alarm;
            if (_active.TryGetValue(alarm.AlarmId, out var known))
            {
                if (known.Value.Status?.Version > update.Status?.Version)
                {
                    return;
                }

                _activeOrder.Remove(known);
                if (update.Closed)
                {
                    _active.Remove(alarm.AlarmId);
                    return;
                }

                // Still listed: its node moves to the end with the newer update.
                known.Value = update;
                _activeOrder.AddLast(known);
                return;
            }

            if (update.Closed)
            {
                return;
            }

            LinkedListNode<AlarmUpdate>? node = null;
            if (_active.Count >= _activeKept)
            {
                node = _activeOrder.First!;
                _activeOrder.RemoveFirst();
                _active.Remove(node.Value.Alarm.AlarmId);
                Interlocked.Increment(ref _activeForgotten);
                node.Value = update;
            }

            node ??= new LinkedListNode<AlarmUpdate>(update);
            _activeOrder.AddLast(node);
            _active[alarm.AlarmId] = node;
        }
    }

    /// <summary>The latest event of each alarm on the list that matches, most severe first, then newest first.</summary>
    public IReadOnlyList<AlarmEvent> Active(Func<AlarmEvent, bool>? match = null) => ActiveUpdates(match).Select(u => u.Alarm).ToArray();

    /// <summary>The latest change of each alarm on the list that matches (with its workflow), in the order of <see cref="Active"/>.</summary>
    public IReadOnlyList<AlarmUpdate> ActiveUpdates(Func<AlarmEvent, bool>? match = null)
    {
        lock (_lock)
        {
            return _activeOrder
                .Where(u => match is null || match(u.Alarm))
                .OrderByDescending(u => u.Alarm.Severity)
                .ThenByDescending(u => u.Alarm.StartMs)
                .ThenBy(u => u.Alarm.AlarmId, StringComparer.Ordinal)
                .ToArray();
        }
    }

    /// <summary>The most recent alarm events (raised, updated, cleared) that match, newest first.</summary>
    public IReadOnlyList<AlarmUpdate> Recent(Func<AlarmEvent, bool>? match = null)
    {
        lock (_lock)
        {
            return _recent.Where(u => match is null || match(u.Alarm)).ToArray();
        }
    }
}
