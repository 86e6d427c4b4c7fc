using CitySense.Contracts.Live;

namespace CitySense.Live;

/// <summary>
/// Alarm events a destination refused (an Orleans stream, the scenario host), kept per destination in their order to
/// be sent again ahead of newer events. Indicator updates are never kept: the area's next one carries complete figures.
/// Bounded across destinations: a destination that never comes back must not hold memory, so past
/// <paramref name="capacity"/> events the oldest (by live sequence number) go first, and the caller counts them.
/// Used by one loop at a time (not thread-safe).
/// </summary>
internal sealed class KeptAlarms<TKey>(int capacity) where TKey : notnull
{
    private readonly Dictionary<TKey, List<AlarmUpdate>> _kept = [];
    private readonly int _capacity = Math.Max(1, capacity);

    /// <summary>Alarm events kept, over every destination.</summary>
    public int Count { get; private set; }

    /// <summary>Keeps <paramref name="alarms"/> (in their order) for <paramref name="key"/>, after what it already holds.</summary>
    public void Keep(TKey key, IEnumerable<AlarmUpdate> alarms)
    {
        List<AlarmUpdate>? list = null;
        foreach (var alarm in alarms)
        {
            list ??= _kept.TryGetValue(key, out var existing) ? existing : _kept[key] = [];
            list.Add(alarm);
            Count++;
        }
    }

    /// <summary>Drops the oldest kept events until at most the capacity are left; returns how many went.</summary>
    public int Trim()
    {
        var dropped = 0;
        while (Count > _capacity)
        {
            var oldest = _kept.MinBy(p => p.Value[0].Seq);
            oldest.Value.RemoveAt(0);
            Count--;
            dropped++;
            if (oldest.Value.Count == 0)
            {
                _kept.Remove(oldest.Key);
            }
        }

        return dropped;
    }

    /// <summary>Takes every destination's kept events (oldest first for each); nothing is kept afterwards.</summary>
    public KeyValuePair<TKey, List<AlarmUpdate>>[] TakeAll()
    {
        var all = _kept.ToArray();
        _kept.Clear();
        Count = 0;
        return all;
    }
}
