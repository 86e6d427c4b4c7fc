using CitySense.Contracts.Alarms;
using CitySense.Grains.Domain.Alarms;

namespace CitySense.UnitTests.Alarms;

public class AlarmJournalTests
{
    [Fact]
    public void An_alarm_changed_again_keeps_its_newest_version_and_moves_to_the_end()
    {
        var journal = new AlarmJournal();
        journal.Add([Record("a", 1), Record("b", 1)]);
        journal.Add([Record("a", 2)]);
        // An older version arriving late (a store retried after a failure) does not replace the newer one.
        journal.Add([Record("b", 1)]);

        Assert.Equal(["b v1", "a v2"], journal.Changes.Select(Describe));
    }

    [Fact]
    public void The_full_copy_is_written_once_the_journal_holds_the_square_root_of_twice_the_workflow()
    {
        var journal = new AlarmJournal();
        journal.Add(Enumerable.Range(0, AlarmJournal.MinimumBeforeFold - 1).Select(i => Record($"r{i}", 1)));
        Assert.False(journal.ShouldFold(alarmsInWorkflow: 10));
        journal.Add([Record("last", 1)]);
        Assert.True(journal.ShouldFold(alarmsInWorkflow: 10));
        // 500 closed alarms kept and 12 open: √1024 = 32 changes before the next full copy.
        Assert.False(journal.ShouldFold(alarmsInWorkflow: 512));
        journal.Add(Enumerable.Range(0, 24).Select(i => Record($"more{i}", 1)));
        Assert.True(journal.ShouldFold(alarmsInWorkflow: 512));
        journal.Clear();
        Assert.Empty(journal.Changes);
    }

    [Fact]
    public void Replay_moves_closed_alarms_to_the_end_of_the_history_in_the_order_they_closed_and_skips_what_is_not_newer()
    {
        var (open, closed) = AlarmJournal.Replay(
            open: [Record("a", 2), Record("b", 1), Record("c", 1)],
            closed: [Record("old", 3, closed: true)],
            changes: [Record("c", 2, closed: true), Record("a", 1), Record("b", 2), Record("d", 1), Record("b", 3, closed: true)],
            historyKept: 3);

        Assert.Equal(["a v2", "d v1"], open.Select(Describe).Order());
        Assert.Equal(["old v3", "c v2", "b v3"], closed.Select(Describe));
    }

    [Fact]
    public void Replay_twice_gives_the_same_workflow_and_the_history_stays_within_its_bound()
    {
        var changes = new[] { Record("x", 2, closed: true), Record("y", 2, closed: true) };
        var once = AlarmJournal.Replay([Record("x", 1), Record("y", 1)], [Record("old", 5, closed: true)], changes, historyKept: 2);
        var twice = AlarmJournal.Replay(once.Open, once.Closed, changes, historyKept: 2);

        Assert.Equal(["x v2", "y v2"], once.Closed.Select(Describe));
        Assert.Equal(once.Closed.Select(Describe), twice.Closed.Select(Describe));
        Assert.Empty(twice.Open);
    }

    private static string Describe(AlarmRecord record) => $"{record.Alarm.AlarmId} v{record.Status.Version}";

    private static AlarmRecord Record(string id, long version, bool closed = false) => new(
        new AlarmEvent(id, "leak", AlarmSeverity.Warning, closed ? AlarmState.Cleared : AlarmState.Raised, "d", "c", "water", id, 1, null, 1, 1, "m"),
        new AlarmStatus(id, closed ? AlarmCondition.ClearedAcknowledged : AlarmCondition.ActiveUnacknowledged, version, 1, null, null, null, null, null),
        [new AlarmAuditEntry(version, AlarmAction.Raised, "rule", 1, null, null, AlarmCondition.ActiveUnacknowledged)]);
}
