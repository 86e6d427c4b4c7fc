using CitySense.Contracts.Alarms;
using CitySense.Contracts.Snapshots;

namespace CitySense.Grains.Domain.Alarms;

/// <summary>
/// An area's active alarms and its most recent alarm events (bounded), stored with the area. Not the silo's in-memory
/// alarm book behind GET /api/alarms (CitySense.Live.AlarmBook), which the live feed fills.
/// </summary>
public sealed class AreaAlarms(int recentKept = 200)
{
    private readonly Dictionary<(string Device, string Type), AlarmEvent> _active = [];
    private readonly Queue<AlarmEvent> _recent = new();

    public IEnumerable<AlarmEvent> Active => _active.Values.OrderBy(a => a.StartMs).ThenBy(a => a.AlarmId, StringComparer.Ordinal);

    /// <summary>Newest first.</summary>
    public IEnumerable<AlarmEvent> Recent => _recent.Reverse();

    public void Apply(AlarmEvent alarm)
    {
        if (alarm.State == AlarmState.Cleared)
        {
            _active.Remove((alarm.Device, alarm.Type));
        }
        else
        {
            _active[(alarm.Device, alarm.Type)] = alarm;
        }

        _recent.Enqueue(alarm);
        while (_recent.Count > recentKept)
        {
            _recent.Dequeue();
        }
    }

    /// <summary>Restores stored alarms: <paramref name="recent"/> newest first, as <see cref="Recent"/> gives them.</summary>
    public void Restore(IEnumerable<AlarmEvent> active, IEnumerable<AlarmEvent> recent)
    {
        _active.Clear();
        _recent.Clear();
        foreach (var alarm in active)
        {
            _active[(alarm.Device, alarm.Type)] = alarm;
        }

        foreach (var alarm in recent.Reverse())
        {
            _recent.Enqueue(alarm);
        }
    }

    /// <summary>A device that leaves the area takes its active alarms with it.</summary>
    public void RemoveDevice(string device)
    {
        foreach (var key in _active.Keys.Where(k => k.Device == device).ToList())
        {
            _active.Remove(key);
        }
    }

    public AlarmCount[] Counts() => _active.Values
        .GroupBy(a => (a.Kind, a.Severity))
        .OrderBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Severity)
        .Select(g => new AlarmCount(g.Key.Kind, g.Key.Severity, g.Count()))
        .ToArray();
}
