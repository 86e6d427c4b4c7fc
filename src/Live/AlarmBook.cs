using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using Microsoft.Extensions.Options;

namespace CitySense.Live;

/// <summary>
/// Active alarms and the most recent alarm events, in memory and bounded (GET /api/alarms, snapshots of live
/// subscribers). Fed by the live pump from <see cref="ILiveFeed.AlarmChanged"/>, in sequence order.
/// </summary>
public sealed class AlarmBook(IOptions<LiveOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AlarmUpdate> _active = new(StringComparer.Ordinal);
    private readonly LinkedList<AlarmUpdate> _recent = new();
    private readonly int _recentKept = Math.Max(1, options.Value.RecentAlarmsKept);
    private readonly int _activeKept = Math.Max(1, options.Value.ActiveAlarmsKept);
    private long _activeForgotten;

    /// <summary>Active alarms forgotten because more than Live:ActiveAlarmsKept were active at once.</summary>
    public long ActiveForgotten => Interlocked.Read(ref _activeForgotten);

    public void Apply(AlarmUpdate update)
    {
        lock (_lock)
        {
            _recent.AddFirst(update);
            if (_recent.Count > _recentKept)
            {
                _recent.RemoveLast();
            }

            var alarm = update.Alarm;
            if (alarm.State == AlarmState.Cleared)
            {
                _active.Remove(alarm.AlarmId);
                return;
            }

            if (!_active.ContainsKey(alarm.AlarmId) && _active.Count >= _activeKept)
            {
                // Rare (an alarm storm beyond the bound): a linear scan for the oldest is cheaper than an index kept always.
                var oldest = _active.Values.MinBy(a => a.Seq)!;
                _active.Remove(oldest.Alarm.AlarmId);
                Interlocked.Increment(ref _activeForgotten);
            }

            _active[alarm.AlarmId] = update;
        }
    }

    /// <summary>The latest event of each active alarm that matches, most severe first, then newest first.</summary>
    public IReadOnlyList<AlarmEvent> Active(Func<AlarmEvent, bool>? match = null)
    {
        lock (_lock)
        {
            return _active.Values
                .Select(u => u.Alarm)
                .Where(a => match is null || match(a))
                .OrderByDescending(a => a.Severity)
                .ThenByDescending(a => a.StartMs)
                .ThenBy(a => a.AlarmId, StringComparer.Ordinal)
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
