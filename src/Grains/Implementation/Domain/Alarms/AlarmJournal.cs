using CitySense.Contracts.Alarms;

namespace CitySense.Grains.Domain.Alarms;

/// <summary>
/// What a community stores when its alarms change: the latest version of each alarm changed since the workflow's full
/// copy was last written, in the order of their last change (docs/alarms.md §4). Writing the whole workflow on every
/// change wrote every open alarm and up to Alarms:HistoryKept (500) closed ones, about 1.7 KB each, so a write grew
/// with every device that ever alarmed; a change now writes the journal, and the full copy is written again only once
/// the journal holds √(2nk) alarms (n: alarms in the workflow; k: alarms changed per store since the last full copy,
/// at least 1; the threshold at least <see cref="MinimumBeforeFold"/> and at most n). Over a cycle the journal writes
/// grow by k a store up to that threshold T, then the full copy costs n: T/2 + nk/T records a store on average, least
/// at T = √(2nk). A community under an alarm storm changes many alarms a second, so a threshold of √(2n), right for one
/// change a store, wrote the full copy every few stores.
/// Pure logic: the grain stores <see cref="Changes"/> and the full copy, each with the generation of the full copy.
/// </summary>
public sealed class AlarmJournal
{
    /// <summary>Fewer changes than this never fold: for a small workflow the full copy costs little more than the journal.</summary>
    public const int MinimumBeforeFold = 8;

    private readonly List<AlarmRecord> _changes = [];
    // Since the last full copy: stores, and the alarm changes they added (k is their ratio).
    private int _stores;
    private long _added;

    /// <summary>The latest version of each alarm changed since the full copy, oldest last change first.</summary>
    public IReadOnlyList<AlarmRecord> Changes => _changes;

    /// <summary>
    /// Adds changes in their order; an alarm changed again moves to the end with its newer version (the same version again,
    /// from a store retried after a failure, changes nothing).
    /// </summary>
    public void Add(IEnumerable<AlarmRecord> changed)
    {
        foreach (var record in changed)
        {
            var known = _changes.FindIndex(r => r.Alarm.AlarmId == record.Alarm.AlarmId);
            if (known >= 0)
            {
                if (_changes[known].Status.Version >= record.Status.Version)
                {
                    continue;
                }

                _changes.RemoveAt(known);
            }

            _changes.Add(record);
            _added++;
        }

        _stores++;
    }

    /// <summary>The journal on record, after a reactivation: its changes, not a store of their own.</summary>
    public void Resume(IEnumerable<AlarmRecord> stored)
    {
        Add(stored);
        _stores = 0;
        _added = 0;
    }

    /// <summary>Whether the full copy should be written now (and the journal cleared) rather than the journal.</summary>
    public bool ShouldFold(int alarmsInWorkflow)
    {
        var perStore = _stores == 0 ? 1.0 : Math.Max(1.0, (double)_added / _stores);
        var threshold = Math.Min(alarmsInWorkflow, Math.Sqrt(2.0 * alarmsInWorkflow * perStore));
        return _changes.Count >= Math.Max(MinimumBeforeFold, (int)threshold);
    }

    public void Clear()
    {
        _changes.Clear();
        _stores = 0;
        _added = 0;
    }

    /// <summary>
    /// The workflow as stored: the full copy's open and closed alarms with the journal's changes replayed over them in
    /// order. A change no newer than the alarm's stored version is skipped, so replaying is idempotent; an alarm that
    /// closed moves to the end of the closed ones, of which at most <paramref name="historyKept"/> stay (oldest go first).
    /// </summary>
    public static (List<AlarmRecord> Open, List<AlarmRecord> Closed) Replay(
        IEnumerable<AlarmRecord> open, IEnumerable<AlarmRecord> closed, IEnumerable<AlarmRecord> changes, int historyKept)
    {
        var openById = new Dictionary<string, AlarmRecord>(StringComparer.Ordinal);
        foreach (var record in open)
        {
            openById[record.Alarm.AlarmId] = record;
        }

        var closedList = closed.ToList();
        foreach (var change in changes)
        {
            var id = change.Alarm.AlarmId;
            var closedAt = closedList.FindIndex(r => r.Alarm.AlarmId == id);
            var storedVersion = openById.TryGetValue(id, out var stored) ? stored.Status.Version
                : closedAt >= 0 ? closedList[closedAt].Status.Version : 0;
            if (change.Status.Version <= storedVersion)
            {
                continue;
            }

            openById.Remove(id);
            if (closedAt >= 0)
            {
                closedList.RemoveAt(closedAt);
            }

            if (change.Status.Closed)
            {
                closedList.Add(change);
            }
            else
            {
                openById[id] = change;
            }
        }

        AlarmWorkflow.TrimHistory(closedList, historyKept);
        return (openById.Values.ToList(), closedList);
    }
}
