using CitySense.Contracts.Alarms;

namespace CitySense.Grains.Domain.Alarms;

/// <summary>
/// The operators' alarm workflow of one community (docs/alarms.md): each alarm's condition (ISA-18.2 style: active or
/// cleared, acknowledged or not), its assignment, escalation and audit trail, and the closed alarms kept for the history.
/// Its rule moves an alarm between active and cleared; operators acknowledge, assign, comment and clear by hand; a
/// critical alarm left unacknowledged past Alarms:EscalateAfter escalates once. Every change is a new version of the
/// alarm with one audit entry. Pure logic: the grain stores <see cref="ToState"/> and announces what changed.
/// </summary>
public sealed class AlarmWorkflow(AlarmOptions options, TimeProvider time)
{
    /// <summary>Who the audit trail names for changes made by the alarm's rule and by the escalation clock.</summary>
    public const string RuleActor = "rule";

    public const string EscalationActor = "escalation";

    /// <summary>Who the audit trail names when the list's budget (Alarms:ListKept) closes an alarm.</summary>
    public const string SystemActor = "system";

    private readonly Dictionary<string, AlarmRecord> _open = new(StringComparer.Ordinal);
    // The rule's id of a raised-again alarm's current activation -> the alarm's own id.
    private readonly Dictionary<string, string> _byRuleId = new(StringComparer.Ordinal);
    // Closed alarms in the order they closed, at most Alarms:HistoryKept (the oldest go first).
    private readonly List<AlarmRecord> _closed = [];
    private readonly long _escalateAfterMs = (long)options.EscalateAfter.TotalMilliseconds;
    private readonly int _listKept = Math.Max(1, options.ListKept);
    // One string for every alarm the budget closes: a flood closes thousands, and each keeps its trail.
    private readonly string _closedBySystemComment =
        $"more than {Math.Max(1, options.ListKept)} alarms on the community's list (Alarms:ListKept): the one cleared longest ago is closed";

    /// <summary>Alarms on the operators' list (not closed), oldest raise first.</summary>
    public IEnumerable<AlarmRecord> Open => _open.Values.OrderBy(r => r.Status.RaisedAtMs).ThenBy(r => r.Alarm.AlarmId, StringComparer.Ordinal);

    /// <summary>Closed alarms kept, in the order they closed.</summary>
    public IReadOnlyList<AlarmRecord> Closed => _closed;

    /// <summary>Alarms open and closed kept: what a full copy of the workflow stores.</summary>
    public int Count => _open.Count + _closed.Count;

    /// <summary>Escalations in this community so far (stored with it).</summary>
    public long Escalations { get; private set; }

    /// <summary>When the next escalation is due (Unix ms), or null when no alarm can escalate.</summary>
    public long? NextEscalationMs => _open.Values.Where(CanEscalate).Select(r => (long?)(r.Status.RaisedAtMs + _escalateAfterMs)).Min();

    public AlarmRecord? Find(string alarmId)
    {
        if (_open.TryGetValue(alarmId, out var open))
        {
            return open;
        }

        for (var i = _closed.Count - 1; i >= 0; i--)
        {
            if (_closed[i].Alarm.AlarmId == alarmId)
            {
                return _closed[i];
            }
        }

        return null;
    }

    /// <summary>
    /// Applies a rule's event (raised, updated, cleared). Returns the alarms it changed: none for a repeat (a batch
    /// redelivered after a failure), two when a new raise supersedes an alarm of the same device and type that was never
    /// cleared (its device lost its rule state in a restart).
    /// </summary>
    public IReadOnlyList<AlarmRecord> Apply(AlarmEvent alarm)
    {
        var now = NowMs();
        var changed = ApplyRule(alarm, now);
        return changed.Count == 0 || _open.Count <= _listKept ? changed : KeepListInBudget(changed, now);
    }

    private IReadOnlyList<AlarmRecord> ApplyRule(AlarmEvent alarm, long now)
    {
        if (_open.TryGetValue(alarm.AlarmId, out var record)
            || (_byRuleId.TryGetValue(alarm.AlarmId, out var ownId) && _open.TryGetValue(ownId, out record)))
        {
            // A raised-again alarm keeps its own id and start; its rule's events carry the activation's.
            alarm = alarm.AlarmId == record.Alarm.AlarmId ? alarm : alarm with { AlarmId = record.Alarm.AlarmId, StartMs = record.Alarm.StartMs };
            return alarm.State switch
            {
                AlarmState.Updated when IsActive(record) && (alarm.Severity != record.Alarm.Severity || alarm.Peak != record.Alarm.Peak) =>
                    [Change(record, alarm, AlarmAction.Updated, RuleActor, now, record.Status.Condition, null, alarm.Message)],
                AlarmState.Cleared when IsActive(record) =>
                    [Change(record, alarm, AlarmAction.Cleared, RuleActor, now,
                        record.Status.Condition == AlarmCondition.ActiveAcknowledged ? AlarmCondition.ClearedAcknowledged : AlarmCondition.ClearedUnacknowledged,
                        null, alarm.Message)],
                _ => [],
            };
        }

        if (alarm.State == AlarmState.Cleared || Find(alarm.AlarmId) is not null)
        {
            // A clear of an alarm this community never had, or any news of a closed one (cleared by hand): nothing to show.
            return [];
        }

        // The device's and type's alarms on the list: at most one, unless a device lost its rule state in a restart.
        var same = _open.Values.Where(r => r.Alarm.Device == alarm.Device && r.Alarm.Type == alarm.Type).ToList();
        var stale = same.Where(IsActive).ToList();
        if (stale.Count == 0 && same.FirstOrDefault(r => r.Status.Condition == AlarmCondition.ClearedUnacknowledged) is { } cleared)
        {
            // Back in alarm before anyone acknowledged the clear: the same alarm again (ISA-18.2), not a new one on the list.
            // A chattering sensor keeps one record per device and type, however often it flaps.
            return [RaiseAgain(cleared, alarm, now)];
        }

        var changed = new List<AlarmRecord>(1);
        foreach (var older in stale)
        {
            changed.Add(Change(older, older.Alarm, AlarmAction.Cleared, RuleActor, now,
                older.Status.Condition == AlarmCondition.ActiveAcknowledged ? AlarmCondition.ClearedAcknowledged : AlarmCondition.ClearedUnacknowledged,
                null, $"superseded by {alarm.AlarmId}"));
        }

        var raise = new AlarmAuditEntry(1, AlarmAction.Raised, RuleActor, now, null, alarm.Message, AlarmCondition.ActiveUnacknowledged);
        var raised = new AlarmRecord(alarm with { State = AlarmState.Raised },
            new AlarmStatus(alarm.AlarmId, AlarmCondition.ActiveUnacknowledged, 1, now, null, null, null, null, null), [raise]);
        _open[alarm.AlarmId] = raised;
        changed.Add(raised);
        return changed;
    }

    /// <summary>An operator's action. Refused (nothing changes) when the alarm's condition does not allow it.</summary>
    public AlarmDecision Operate(string alarmId, AlarmCommand command)
    {
        if (!_open.TryGetValue(alarmId, out var record))
        {
            return Find(alarmId) is { } closed
                ? Refuse(closed, "The alarm is closed (cleared and acknowledged): it no longer changes.")
                : new AlarmDecision(AlarmOutcome.NotFound, null, $"No alarm '{alarmId}' here.");
        }

        var now = NowMs();
        var condition = record.Status.Condition;
        switch (command.Action)
        {
            case AlarmAction.Acknowledged:
                if (condition is AlarmCondition.ActiveAcknowledged)
                {
                    return Refuse(record, $"Already acknowledged by {record.Status.AcknowledgedBy}.");
                }

                return Done(Change(record, record.Alarm, AlarmAction.Acknowledged, command.By, now,
                    condition == AlarmCondition.ActiveUnacknowledged ? AlarmCondition.ActiveAcknowledged : AlarmCondition.ClearedAcknowledged, null, command.Comment));
            case AlarmAction.Assigned:
                if (string.IsNullOrWhiteSpace(command.Team))
                {
                    return Refuse(record, "An assignment needs a team.");
                }

                if (string.Equals(record.Status.AssignedTo, command.Team, StringComparison.Ordinal))
                {
                    return Refuse(record, $"Already assigned to {command.Team}.");
                }

                return Done(Change(record, record.Alarm, AlarmAction.Assigned, command.By, now, condition, command.Team, command.Comment));
            case AlarmAction.Commented:
                if (string.IsNullOrWhiteSpace(command.Comment))
                {
                    return Refuse(record, "A comment needs text.");
                }

                return Done(Change(record, record.Alarm, AlarmAction.Commented, command.By, now, condition, null, command.Comment));
            case AlarmAction.ClearedByHand:
                if (!IsActive(record))
                {
                    return Refuse(record, "The alarm is already cleared; acknowledge it to close it.");
                }

                // An operator who clears an alarm has seen it: it is closed at once.
                return Done(Change(record, record.Alarm with { State = AlarmState.Cleared, EndMs = record.Alarm.EndMs ?? now }, AlarmAction.ClearedByHand,
                    command.By, now, AlarmCondition.ClearedAcknowledged, null, command.Comment));
            default:
                return Refuse(record, $"'{command.Action}' is not an operator's action.");
        }
    }

    /// <summary>
    /// The changes, and then the list kept to Alarms:ListKept: while more alarms are on it, the one that cleared longest ago
    /// unacknowledged is closed by the system (its last entry's time; ties by id). Active alarms stay however many there
    /// are: they are conditions that hold now. Runs only when a rule's event changed the list past its budget, so the scan
    /// of the list (at most ListKept plus the active ones) is paid once per alarm added, not per reading.
    /// </summary>
    private List<AlarmRecord> KeepListInBudget(IReadOnlyList<AlarmRecord> changed, long now)
    {
        var all = new List<AlarmRecord>(changed);
        while (_open.Count > _listKept)
        {
            AlarmRecord? oldest = null;
            foreach (var record in _open.Values)
            {
                if (record.Status.Condition == AlarmCondition.ClearedUnacknowledged
                    && (oldest is null || record.Last.AtMs < oldest.Last.AtMs
                        || (record.Last.AtMs == oldest.Last.AtMs && string.CompareOrdinal(record.Alarm.AlarmId, oldest.Alarm.AlarmId) < 0)))
                {
                    oldest = record;
                }
            }

            if (oldest is null)
            {
                break;
            }

            var closed = Change(oldest, oldest.Alarm, AlarmAction.ClosedBySystem, SystemActor, now, AlarmCondition.ClearedAcknowledged, null,
                _closedBySystemComment);
            // The same alarm changed by the rule's event and then closed: its closed version replaces the earlier one.
            var earlier = all.FindIndex(r => r.Alarm.AlarmId == closed.Alarm.AlarmId);
            if (earlier >= 0)
            {
                all.RemoveAt(earlier);
            }

            all.Add(closed);
        }

        return all;
    }

    /// <summary>Escalates every critical alarm still active and unacknowledged Alarms:EscalateAfter after its raise (once).</summary>
    public IReadOnlyList<AlarmRecord> Escalate()
    {
        var now = NowMs();
        var due = _open.Values.Where(r => CanEscalate(r) && now - r.Status.RaisedAtMs >= _escalateAfterMs).ToList();
        if (due.Count == 0)
        {
            return [];
        }

        var escalated = new List<AlarmRecord>(due.Count);
        foreach (var record in due)
        {
            escalated.Add(Change(record, record.Alarm, AlarmAction.Escalated, EscalationActor, now, record.Status.Condition, null,
                $"critical and unacknowledged for {options.EscalateAfter}"));
            Escalations++;
        }

        return escalated;
    }

    /// <summary>
    /// The alarms of the history whose life (from the condition's start to its end, or to now while it lasts) overlaps
    /// [<paramref name="fromMs"/>, <paramref name="toMs"/>), newest start first, at most <paramref name="limit"/>.
    /// </summary>
    public AlarmRecord[] History(long fromMs, long toMs, int limit) =>
        _open.Values.Concat(_closed)
            .Where(r => r.Alarm.StartMs < toMs && (r.Alarm.EndMs ?? r.Status.ClosedAtMs ?? long.MaxValue) >= fromMs)
            .OrderByDescending(r => r.Alarm.StartMs)
            .ThenBy(r => r.Alarm.AlarmId, StringComparer.Ordinal)
            .Take(Math.Max(0, limit))
            .ToArray();

    public void Restore(IEnumerable<AlarmRecord> open, IEnumerable<AlarmRecord> closed, long escalations)
    {
        _open.Clear();
        _byRuleId.Clear();
        _closed.Clear();
        foreach (var record in open)
        {
            _open[record.Alarm.AlarmId] = record;
            if (record.Status.RuleEventId is { } ruleId)
            {
                _byRuleId[ruleId] = record.Alarm.AlarmId;
            }
        }

        _closed.AddRange(closed);
        Escalations = escalations;
    }

    private static bool IsActive(AlarmRecord record) =>
        record.Status.Condition is AlarmCondition.ActiveUnacknowledged or AlarmCondition.ActiveAcknowledged;

    private static bool CanEscalate(AlarmRecord record) =>
        record.Status is { Condition: AlarmCondition.ActiveUnacknowledged, EscalatedAtMs: null } && record.Alarm.Severity == AlarmSeverity.Critical;

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static AlarmDecision Done(AlarmRecord record) => new(AlarmOutcome.Done, record, null);

    private static AlarmDecision Refuse(AlarmRecord record, string error) => new(AlarmOutcome.Refused, record, error);

    private AlarmRecord RaiseAgain(AlarmRecord cleared, AlarmEvent alarm, long now)
    {
        if (cleared.Status.RuleEventId is { } previous)
        {
            _byRuleId.Remove(previous);
        }

        _byRuleId[alarm.AlarmId] = cleared.Alarm.AlarmId;
        var raised = alarm with { AlarmId = cleared.Alarm.AlarmId, StartMs = cleared.Alarm.StartMs, State = AlarmState.Raised, EndMs = null };
        return Change(cleared with { Status = cleared.Status with { RaisedAgain = cleared.Status.RaisedAgain + 1, RuleEventId = alarm.AlarmId } },
            raised, AlarmAction.RaisedAgain, RuleActor, now, AlarmCondition.ActiveUnacknowledged, null, alarm.Message);
    }

    /// <summary>The alarm's next version: one audit entry, the status that follows from it, moved to the history when closed.</summary>
    private AlarmRecord Change(AlarmRecord record, AlarmEvent alarm, AlarmAction action, string by, long now, AlarmCondition condition, string? team, string? comment)
    {
        var status = record.Status;
        var version = status.Version + 1;
        var entry = new AlarmAuditEntry(version, action, by, now, team, comment, condition);
        var acknowledged = status.AcknowledgedBy is null && action is AlarmAction.Acknowledged or AlarmAction.ClearedByHand;
        var next = new AlarmRecord(alarm, status with
        {
            Condition = condition,
            Version = version,
            AcknowledgedBy = acknowledged ? by : status.AcknowledgedBy,
            AcknowledgedAtMs = acknowledged ? now : status.AcknowledgedAtMs,
            AssignedTo = action == AlarmAction.Assigned ? team : status.AssignedTo,
            EscalatedAtMs = action == AlarmAction.Escalated ? now : status.EscalatedAtMs,
            ClosedAtMs = condition == AlarmCondition.ClearedAcknowledged ? now : null,
        }, Trail(record.Audit, entry));
        if (condition == AlarmCondition.ClearedAcknowledged)
        {
            _open.Remove(alarm.AlarmId);
            if (next.Status.RuleEventId is { } ruleId)
            {
                _byRuleId.Remove(ruleId);
            }

            _closed.Add(next);
            TrimHistory(_closed, options.HistoryKept);
        }
        else
        {
            _open[alarm.AlarmId] = next;
        }

        return next;
    }

    /// <summary>
    /// Keeps the newest <paramref name="historyKept"/> closed alarms (in the order they closed). Past it the oldest alarm the
    /// list's budget closed goes first, then the oldest closed by anyone: under a flood the budget closes many, and they
    /// must not push out of memory the alarms operators closed themselves.
    /// </summary>
    public static void TrimHistory(List<AlarmRecord> closed, int historyKept)
    {
        var kept = Math.Max(1, historyKept);
        while (closed.Count > kept)
        {
            var bySystem = closed.FindIndex(r => r.Last.Action == AlarmAction.ClosedBySystem);
            closed.RemoveAt(bySystem >= 0 ? bySystem : 0);
        }
    }

    /// <summary>
    /// The trail with one more entry; past Alarms:AuditKept the raise stays and the oldest others go. A rule's cycles keep
    /// the latest only: raised again after a raised-again-and-cleared with no one's action between drops that pair (the
    /// status counts every time), so a chattering sensor's trail stays short and operators' entries are not pushed out.
    /// </summary>
    private AlarmAuditEntry[] Trail(AlarmAuditEntry[] audit, AlarmAuditEntry entry)
    {
        if (entry.Action == AlarmAction.RaisedAgain && audit.Length >= 2
            && audit[^2] is { Action: AlarmAction.RaisedAgain, By: RuleActor } && audit[^1] is { Action: AlarmAction.Cleared, By: RuleActor })
        {
            audit = audit[..^2];
        }

        var kept = Math.Max(2, options.AuditKept);
        return audit.Length < kept ? [.. audit, entry] : [audit[0], .. audit[(audit.Length - kept + 2)..], entry];
    }
}
