using CitySense.Contracts.Alarms;
using CitySense.Grains.Domain.Alarms;
using Microsoft.Extensions.Time.Testing;

namespace CitySense.UnitTests.Alarms;

/// <summary>The operators' alarm workflow as a state machine: every transition, the refused ones, escalation on a fake clock.</summary>
public sealed class AlarmWorkflowTests
{
    // 2026-03-01T00:00:00Z.
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_772_323_200_000);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly AlarmWorkflow _workflow;

    public AlarmWorkflowTests() => _workflow = new AlarmWorkflow(new AlarmOptions { EscalateAfter = TimeSpan.FromMinutes(15) }, _clock);

    private static AlarmEvent Event(AlarmState state, AlarmSeverity severity = AlarmSeverity.Warning, string device = "w1", long startMs = 1_000, string type = "pressure-low") =>
        new($"{device}/{type}/{startMs}", type, severity, state, "d1", "c1", "water", device, startMs, state == AlarmState.Cleared ? startMs + 60_000 : null, 0.1, 0.1, "pressure = 0.1");

    private static int ClosedBySystem(IEnumerable<AlarmRecord> changed) => changed.Count(r => r.Last.Action == AlarmAction.ClosedBySystem);

    private static AlarmCommand By(AlarmAction action, string who = "op-anna", string? team = null, string? comment = null) => new(action, who, team, comment);

    [Fact]
    public void A_raised_alarm_is_active_unacknowledged_at_version_one_with_the_rule_in_its_audit_trail()
    {
        var raised = Assert.Single(_workflow.Apply(Event(AlarmState.Raised)));

        Assert.Equal((AlarmCondition.ActiveUnacknowledged, 1L, Start.ToUnixTimeMilliseconds()), (raised.Status.Condition, raised.Status.Version, raised.Status.RaisedAtMs));
        var entry = Assert.Single(raised.Audit);
        Assert.Equal((AlarmAction.Raised, AlarmWorkflow.RuleActor), (entry.Action, entry.By));
        Assert.Equal([raised], _workflow.Open);
    }

    [Fact]
    public void Acknowledging_an_active_alarm_records_who_and_when_and_a_second_acknowledgement_is_refused()
    {
        _workflow.Apply(Event(AlarmState.Raised));
        _clock.Advance(TimeSpan.FromMinutes(2));

        var done = _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Acknowledged, comment: "seen"));
        var again = _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Acknowledged, who: "op-ben"));

        Assert.Equal(AlarmOutcome.Done, done.Outcome);
        Assert.Equal((AlarmCondition.ActiveAcknowledged, "op-anna", Start.AddMinutes(2).ToUnixTimeMilliseconds(), 2L),
            (done.Record!.Status.Condition, done.Record.Status.AcknowledgedBy, done.Record.Status.AcknowledgedAtMs, done.Record.Status.Version));
        Assert.Equal((AlarmAction.Acknowledged, "op-anna", "seen"), (done.Record.Last.Action, done.Record.Last.By, done.Record.Last.Comment));
        Assert.Equal(AlarmOutcome.Refused, again.Outcome);
        Assert.Contains("Already acknowledged by op-anna", again.Error);
        Assert.Equal(2, again.Record!.Status.Version);
    }

    [Fact]
    public void An_alarm_that_clears_unacknowledged_stays_on_the_list_until_acknowledged_and_then_closes()
    {
        _workflow.Apply(Event(AlarmState.Raised));
        var cleared = Assert.Single(_workflow.Apply(Event(AlarmState.Cleared)));

        Assert.Equal(AlarmCondition.ClearedUnacknowledged, cleared.Status.Condition);
        Assert.Equal(AlarmState.Cleared, cleared.Alarm.State);
        Assert.Single(_workflow.Open);

        var acknowledged = _workflow.Operate(cleared.Alarm.AlarmId, By(AlarmAction.Acknowledged));

        Assert.Equal(AlarmCondition.ClearedAcknowledged, acknowledged.Record!.Status.Condition);
        Assert.True(acknowledged.Record.Status.Closed);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), acknowledged.Record.Status.ClosedAtMs);
        Assert.Empty(_workflow.Open);
        Assert.Equal([acknowledged.Record], _workflow.Closed);
    }

    [Fact]
    public void An_acknowledged_alarm_that_clears_closes_at_once()
    {
        _workflow.Apply(Event(AlarmState.Raised));
        _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Acknowledged));

        var cleared = Assert.Single(_workflow.Apply(Event(AlarmState.Cleared)));

        Assert.Equal((AlarmCondition.ClearedAcknowledged, AlarmAction.Cleared, 3L), (cleared.Status.Condition, cleared.Last.Action, cleared.Status.Version));
        Assert.Empty(_workflow.Open);
    }

    [Fact]
    public void Assigning_names_the_team_keeps_the_condition_and_the_same_team_twice_is_refused()
    {
        _workflow.Apply(Event(AlarmState.Raised));

        var assigned = _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Assigned, team: "water-north"));
        var twice = _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Assigned, team: "water-north"));
        var noTeam = _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Assigned, team: " "));
        var moved = _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Assigned, team: "water-south"));

        Assert.Equal((AlarmCondition.ActiveUnacknowledged, "water-north"), (assigned.Record!.Status.Condition, assigned.Record.Status.AssignedTo));
        Assert.Equal((AlarmAction.Assigned, "water-north"), (assigned.Record.Last.Action, assigned.Record.Last.Team));
        Assert.Equal(AlarmOutcome.Refused, twice.Outcome);
        Assert.Equal(AlarmOutcome.Refused, noTeam.Outcome);
        Assert.Equal(("water-south", 3L), (moved.Record!.Status.AssignedTo, moved.Record.Status.Version));
    }

    [Fact]
    public void A_comment_is_kept_in_the_trail_and_an_empty_one_is_refused()
    {
        _workflow.Apply(Event(AlarmState.Raised));

        var commented = _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Commented, comment: "crew on site"));
        var empty = _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Commented, comment: ""));

        Assert.Equal(["Raised", "Commented"], commented.Record!.Audit.Select(a => a.Action.ToString()));
        Assert.Equal("crew on site", commented.Record.Last.Comment);
        Assert.Equal(AlarmOutcome.Refused, empty.Outcome);
    }

    [Fact]
    public void Clearing_by_hand_acknowledges_and_closes_an_active_alarm_and_is_refused_for_a_cleared_one()
    {
        _workflow.Apply(Event(AlarmState.Raised));
        _workflow.Apply(Event(AlarmState.Raised, device: "w2"));
        _workflow.Apply(Event(AlarmState.Cleared, device: "w2"));

        var byHand = _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.ClearedByHand, comment: "sensor fault"));
        var alreadyCleared = _workflow.Operate("w2/pressure-low/1000", By(AlarmAction.ClearedByHand));

        Assert.Equal((AlarmCondition.ClearedAcknowledged, "op-anna", AlarmState.Cleared),
            (byHand.Record!.Status.Condition, byHand.Record.Status.AcknowledgedBy, byHand.Record.Alarm.State));
        Assert.Equal(AlarmOutcome.Refused, alreadyCleared.Outcome);
        Assert.Contains("already cleared", alreadyCleared.Error);
    }

    [Fact]
    public void A_closed_alarm_refuses_every_action_and_ignores_news_from_its_rule()
    {
        _workflow.Apply(Event(AlarmState.Raised));
        _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.ClearedByHand));

        foreach (var action in new[] { AlarmAction.Acknowledged, AlarmAction.Assigned, AlarmAction.Commented, AlarmAction.ClearedByHand })
        {
            var refused = _workflow.Operate("w1/pressure-low/1000", By(action, team: "t", comment: "c"));
            Assert.Equal(AlarmOutcome.Refused, refused.Outcome);
            Assert.Contains("closed", refused.Error);
        }

        Assert.Empty(_workflow.Apply(Event(AlarmState.Cleared)));
        Assert.Empty(_workflow.Apply(Event(AlarmState.Raised)));
        Assert.Empty(_workflow.Open);
    }

    [Fact]
    public void Actions_that_are_not_an_operators_and_unknown_alarms_are_refused_or_not_found()
    {
        _workflow.Apply(Event(AlarmState.Raised));

        foreach (var action in new[] { AlarmAction.Raised, AlarmAction.Updated, AlarmAction.Cleared, AlarmAction.Escalated })
        {
            Assert.Equal(AlarmOutcome.Refused, _workflow.Operate("w1/pressure-low/1000", By(action)).Outcome);
        }

        var unknown = _workflow.Operate("w9/smoke/1", By(AlarmAction.Acknowledged));
        Assert.Equal((AlarmOutcome.NotFound, null), (unknown.Outcome, unknown.Record));
    }

    [Fact]
    public void A_repeated_rule_event_changes_nothing_and_a_severity_change_is_a_new_version()
    {
        _workflow.Apply(Event(AlarmState.Raised));

        Assert.Empty(_workflow.Apply(Event(AlarmState.Raised)));
        Assert.Empty(_workflow.Apply(Event(AlarmState.Updated)));
        var updated = Assert.Single(_workflow.Apply(Event(AlarmState.Updated, AlarmSeverity.Critical)));
        Assert.Empty(_workflow.Apply(Event(AlarmState.Cleared, device: "w7")));

        Assert.Equal((AlarmSeverity.Critical, AlarmAction.Updated, 2L), (updated.Alarm.Severity, updated.Last.Action, updated.Status.Version));
    }

    [Fact]
    public void A_new_raise_of_the_same_device_and_type_supersedes_an_alarm_its_rule_never_cleared()
    {
        _workflow.Apply(Event(AlarmState.Raised, startMs: 1_000));

        var changed = _workflow.Apply(Event(AlarmState.Raised, startMs: 9_000));

        Assert.Equal(["w1/pressure-low/1000", "w1/pressure-low/9000"], changed.Select(r => r.Alarm.AlarmId));
        Assert.Equal((AlarmCondition.ClearedUnacknowledged, "superseded by w1/pressure-low/9000"), (changed[0].Status.Condition, changed[0].Last.Comment));
    }

    [Fact]
    public void A_critical_alarm_unacknowledged_past_the_setting_escalates_once_and_is_counted()
    {
        _workflow.Apply(Event(AlarmState.Raised, AlarmSeverity.Critical));
        _workflow.Apply(Event(AlarmState.Raised, AlarmSeverity.Warning, device: "w2"));
        Assert.Equal(Start.AddMinutes(15).ToUnixTimeMilliseconds(), _workflow.NextEscalationMs);

        _clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_workflow.Escalate());
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var escalated = Assert.Single(_workflow.Escalate());
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal((AlarmAction.Escalated, AlarmWorkflow.EscalationActor, AlarmCondition.ActiveUnacknowledged),
            (escalated.Last.Action, escalated.Last.By, escalated.Status.Condition));
        Assert.Equal(Start.AddMinutes(15).ToUnixTimeMilliseconds(), escalated.Status.EscalatedAtMs);
        Assert.Empty(_workflow.Escalate());
        Assert.Null(_workflow.NextEscalationMs);
        Assert.Equal(1, _workflow.Escalations);
    }

    [Fact]
    public void An_acknowledged_critical_alarm_does_not_escalate()
    {
        _workflow.Apply(Event(AlarmState.Raised, AlarmSeverity.Critical));
        _clock.Advance(TimeSpan.FromMinutes(14));
        _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Acknowledged));
        _clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Empty(_workflow.Escalate());
        Assert.Null(_workflow.NextEscalationMs);
        Assert.Equal(0, _workflow.Escalations);
    }

    [Fact]
    public void A_warning_that_becomes_critical_escalates_counted_from_its_raise()
    {
        _workflow.Apply(Event(AlarmState.Raised));
        _clock.Advance(TimeSpan.FromMinutes(10));
        _workflow.Apply(Event(AlarmState.Updated, AlarmSeverity.Critical));
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Single(_workflow.Escalate());
    }

    [Fact]
    public void The_history_holds_alarms_active_in_the_range_newest_first_and_bounded()
    {
        _workflow.Apply(Event(AlarmState.Raised, device: "a", startMs: 1_000));
        _workflow.Apply(Event(AlarmState.Cleared, device: "a", startMs: 1_000));   // ends at 61 000
        _workflow.Operate("a/pressure-low/1000", By(AlarmAction.Acknowledged));
        _workflow.Apply(Event(AlarmState.Raised, device: "b", startMs: 100_000));
        _workflow.Apply(Event(AlarmState.Raised, device: "c", startMs: 200_000));

        Assert.Equal(["c/pressure-low/200000", "b/pressure-low/100000", "a/pressure-low/1000"], _workflow.History(0, 300_000, 10).Select(r => r.Alarm.AlarmId));
        Assert.Equal(["b/pressure-low/100000"], _workflow.History(62_000, 150_000, 10).Select(r => r.Alarm.AlarmId));
        Assert.Equal(["c/pressure-low/200000"], _workflow.History(0, 300_000, 1).Select(r => r.Alarm.AlarmId));
    }

    [Fact]
    public void Closed_alarms_and_audit_entries_are_kept_within_their_bounds()
    {
        var workflow = new AlarmWorkflow(new AlarmOptions { HistoryKept = 2, AuditKept = 3 }, _clock);
        for (var i = 0; i < 3; i++)
        {
            workflow.Apply(Event(AlarmState.Raised, device: $"w{i}"));
            workflow.Operate($"w{i}/pressure-low/1000", By(AlarmAction.ClearedByHand));
        }

        workflow.Apply(Event(AlarmState.Raised, device: "x"));
        AlarmRecord? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = workflow.Operate("x/pressure-low/1000", By(AlarmAction.Commented, comment: $"note {i}")).Record;
        }

        Assert.Equal(["w1/pressure-low/1000", "w2/pressure-low/1000"], workflow.Closed.Select(r => r.Alarm.AlarmId));
        Assert.Equal([1L, 5L, 6L], last!.Audit.Select(a => a.Version));
    }

    [Fact]
    public void A_restored_workflow_carries_on_from_its_stored_records()
    {
        _workflow.Apply(Event(AlarmState.Raised, AlarmSeverity.Critical));
        _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Assigned, team: "t1"));
        var restored = new AlarmWorkflow(new AlarmOptions(), _clock);
        restored.Restore(_workflow.Open, _workflow.Closed, _workflow.Escalations);

        var acknowledged = restored.Operate("w1/pressure-low/1000", By(AlarmAction.Acknowledged));

        Assert.Equal((3L, "t1", AlarmCondition.ActiveAcknowledged), (acknowledged.Record!.Status.Version, acknowledged.Record.Status.AssignedTo, acknowledged.Record.Status.Condition));
    }

    [Fact]
    public void A_chattering_sensor_keeps_one_alarm_raised_again_with_a_short_trail_until_someone_acknowledges_it()
    {
        _workflow.Apply(Event(AlarmState.Raised, startMs: 1_000));
        _workflow.Apply(Event(AlarmState.Cleared, startMs: 1_000));
        AlarmRecord? again = null;
        for (var cycle = 1; cycle <= 50; cycle++)
        {
            var start = 1_000 + (cycle * 120_000L);
            again = Assert.Single(_workflow.Apply(Event(AlarmState.Raised, startMs: start)));
            Assert.Equal(("w1/pressure-low/1000", AlarmCondition.ActiveUnacknowledged, AlarmAction.RaisedAgain, AlarmState.Raised, cycle),
                (again.Alarm.AlarmId, again.Status.Condition, again.Last.Action, again.Alarm.State, again.Status.RaisedAgain));
            Assert.Null(again.Alarm.EndMs);
            // The activation's own events (its rule knows it by the new id) move the same alarm.
            Assert.Equal(AlarmCondition.ClearedUnacknowledged, Assert.Single(_workflow.Apply(Event(AlarmState.Cleared, startMs: start))).Status.Condition);
        }

        var open = Assert.Single(_workflow.Open);
        Assert.Equal((50, 102L, 1_000L), (open.Status.RaisedAgain, open.Status.Version, open.Alarm.StartMs));
        // The first raise and clear, then the latest cycle only.
        Assert.Equal([AlarmAction.Raised, AlarmAction.Cleared, AlarmAction.RaisedAgain, AlarmAction.Cleared], open.Audit.Select(a => a.Action));
        Assert.Equal([1L, 2L, 101L, 102L], open.Audit.Select(a => a.Version));

        // Acknowledged, it closes; the next raise is a new alarm.
        Assert.True(_workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Acknowledged)).Record!.Status.Closed);
        var fresh = Assert.Single(_workflow.Apply(Event(AlarmState.Raised, startMs: 9_000_000)));
        Assert.Equal(("w1/pressure-low/9000000", AlarmAction.Raised, 0), (fresh.Alarm.AlarmId, fresh.Last.Action, fresh.Status.RaisedAgain));
    }

    [Fact]
    public void An_operators_entry_between_cycles_stays_in_the_trail()
    {
        _workflow.Apply(Event(AlarmState.Raised, startMs: 1_000));
        _workflow.Apply(Event(AlarmState.Cleared, startMs: 1_000));
        _workflow.Apply(Event(AlarmState.Raised, startMs: 2_000));
        _workflow.Operate("w1/pressure-low/1000", By(AlarmAction.Commented, comment: "crew on the way"));
        _workflow.Apply(Event(AlarmState.Cleared, startMs: 2_000));
        _workflow.Apply(Event(AlarmState.Raised, startMs: 3_000));
        _workflow.Apply(Event(AlarmState.Cleared, startMs: 3_000));
        _workflow.Apply(Event(AlarmState.Raised, startMs: 4_000));

        Assert.Equal([AlarmAction.Raised, AlarmAction.Cleared, AlarmAction.RaisedAgain, AlarmAction.Commented, AlarmAction.Cleared, AlarmAction.RaisedAgain],
            Assert.Single(_workflow.Open).Audit.Select(a => a.Action));
    }

    [Fact]
    public void A_restored_workflow_still_knows_a_raised_again_alarm_by_its_activations_id()
    {
        _workflow.Apply(Event(AlarmState.Raised, startMs: 1_000));
        _workflow.Apply(Event(AlarmState.Cleared, startMs: 1_000));
        _workflow.Apply(Event(AlarmState.Raised, startMs: 5_000));
        var restored = new AlarmWorkflow(new AlarmOptions(), _clock);
        restored.Restore(_workflow.Open, _workflow.Closed, _workflow.Escalations);

        var cleared = Assert.Single(restored.Apply(Event(AlarmState.Cleared, startMs: 5_000)));

        Assert.Equal(("w1/pressure-low/1000", AlarmCondition.ClearedUnacknowledged), (cleared.Alarm.AlarmId, cleared.Status.Condition));
    }

    [Fact]
    public void Past_the_lists_budget_the_alarm_cleared_longest_ago_is_closed_by_the_system_and_active_ones_stay()
    {
        var workflow = new AlarmWorkflow(new AlarmOptions { ListKept = 3, HistoryKept = 10 }, _clock);
        // What the silo's counter adds up: the budget's closes among each event's changes.
        var closedBySystem = 0;
        // Three alarms that cleared unacknowledged, a minute apart: the list is full.
        foreach (var device in new[] { "a", "b", "c" })
        {
            workflow.Apply(Event(AlarmState.Raised, device: device));
            workflow.Apply(Event(AlarmState.Cleared, device: device));
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // A fourth alarm: "a" cleared longest ago and is closed by the system, in the same changes as the raise.
        var changed = workflow.Apply(Event(AlarmState.Raised, device: "d"));
        closedBySystem += ClosedBySystem(changed);

        Assert.Equal(["d/pressure-low/1000", "a/pressure-low/1000"], changed.Select(r => r.Alarm.AlarmId));
        var closed = changed[1];
        Assert.Equal((AlarmCondition.ClearedAcknowledged, AlarmAction.ClosedBySystem, AlarmWorkflow.SystemActor, 3L), (closed.Status.Condition, closed.Last.Action, closed.Last.By, closed.Status.Version));
        Assert.True(closed.Status.Closed);
        // Nobody acknowledged it.
        Assert.Null(closed.Status.AcknowledgedBy);
        Assert.Equal(["b/pressure-low/1000", "c/pressure-low/1000", "d/pressure-low/1000"], workflow.Open.Select(r => r.Alarm.AlarmId));
        Assert.Equal(["a/pressure-low/1000"], workflow.Closed.Select(r => r.Alarm.AlarmId));
        Assert.Equal(1, closedBySystem);
        // An operator's action on it is refused like any closed alarm's.
        Assert.Equal(AlarmOutcome.Refused, workflow.Operate("a/pressure-low/1000", By(AlarmAction.Acknowledged)).Outcome);

        // Active alarms are conditions that hold now: the list grows past its budget rather than close one.
        foreach (var device in new[] { "e", "f", "g", "h" })
        {
            closedBySystem += ClosedBySystem(workflow.Apply(Event(AlarmState.Raised, device: device)));
        }

        Assert.Equal(["d/pressure-low/1000", "e/pressure-low/1000", "f/pressure-low/1000", "g/pressure-low/1000", "h/pressure-low/1000"],
            workflow.Open.Select(r => r.Alarm.AlarmId));
        Assert.Equal(3, closedBySystem);

        // One of them clears: it is the only cleared one, so it closes at once, in the change that cleared it.
        var cleared = workflow.Apply(Event(AlarmState.Cleared, device: "e"));
        Assert.Equal((AlarmAction.ClosedBySystem, AlarmCondition.ClearedAcknowledged), (Assert.Single(cleared).Last.Action, cleared[0].Status.Condition));
        Assert.Equal([AlarmAction.Raised, AlarmAction.Cleared, AlarmAction.ClosedBySystem], cleared[0].Audit.Select(a => a.Action));
        closedBySystem += ClosedBySystem(cleared);
        Assert.Equal(4, closedBySystem);
    }

    [Fact]
    public void The_history_lets_the_alarms_the_budget_closed_go_before_those_operators_closed()
    {
        var workflow = new AlarmWorkflow(new AlarmOptions { ListKept = 1, HistoryKept = 2 }, _clock);
        var closedBySystem = 0;
        // An operator closes "a"; then "b" and "c" clear unacknowledged and the budget closes "b"; then "d" and "c" go.
        workflow.Apply(Event(AlarmState.Raised, device: "a"));
        workflow.Operate("a/pressure-low/1000", By(AlarmAction.ClearedByHand));
        foreach (var device in new[] { "b", "c", "d", "e" })
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            closedBySystem += ClosedBySystem(workflow.Apply(Event(AlarmState.Raised, device: device)));
            closedBySystem += ClosedBySystem(workflow.Apply(Event(AlarmState.Cleared, device: device)));
        }

        // Closed by the budget in turn: b, c, d (e is the one cleared alarm the list keeps). History of two: the
        // operator's "a" stays, older than all of them; of the budget's, the newest.
        Assert.Equal(["e/pressure-low/1000"], workflow.Open.Select(r => r.Alarm.AlarmId));
        Assert.Equal(["a/pressure-low/1000", "d/pressure-low/1000"], workflow.Closed.Select(r => r.Alarm.AlarmId));
        Assert.Equal(3, closedBySystem);
    }

    [Fact]
    public void An_alarm_acknowledged_or_raised_again_is_not_the_one_the_budget_closes()
    {
        var workflow = new AlarmWorkflow(new AlarmOptions { ListKept = 2 }, _clock);
        workflow.Apply(Event(AlarmState.Raised, device: "a"));
        workflow.Apply(Event(AlarmState.Cleared, device: "a"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        workflow.Apply(Event(AlarmState.Raised, device: "b"));
        workflow.Apply(Event(AlarmState.Cleared, device: "b"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        // "a" is back in alarm (the same alarm, active again): "b" is now the only cleared one.
        workflow.Apply(Event(AlarmState.Raised, device: "a", startMs: 5_000));

        var changed = workflow.Apply(Event(AlarmState.Raised, device: "c"));

        Assert.Equal(["c/pressure-low/1000", "b/pressure-low/1000"], changed.Select(r => r.Alarm.AlarmId));
        Assert.Equal(["a/pressure-low/1000", "c/pressure-low/1000"], workflow.Open.Select(r => r.Alarm.AlarmId));
    }
}
