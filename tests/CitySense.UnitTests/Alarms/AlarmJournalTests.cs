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
    public void With_one_change_a_store_the_full_copy_is_written_once_the_journal_holds_the_square_root_of_twice_the_workflow()
    {
        var journal = new AlarmJournal();
        for (var i = 0; i < AlarmJournal.MinimumBeforeFold - 1; i++)
        {
            journal.Add([Record($"r{i}", 1)]);
        }

        Assert.False(journal.ShouldFold(alarmsInWorkflow: 10));
        journal.Add([Record("last", 1)]);
        Assert.True(journal.ShouldFold(alarmsInWorkflow: 10));
        // 500 closed alarms kept and 12 open: √1024 = 32 changes before the next full copy.
        Assert.False(journal.ShouldFold(alarmsInWorkflow: 512));
        for (var i = 0; i < 24; i++)
        {
            journal.Add([Record($"more{i}", 1)]);
        }

        Assert.True(journal.ShouldFold(alarmsInWorkflow: 512));
        journal.Clear();
        Assert.Empty(journal.Changes);
    }

    [Fact]
    public void With_many_changes_a_store_the_journal_grows_to_the_square_root_of_twice_the_workflow_times_them()
    {
        var journal = new AlarmJournal();
        // 8 alarms a store in a workflow of 512: √(2 · 512 · 8) = 90.5, so 90 changes (12 stores) before a full copy.
        for (var store = 0; store < 11; store++)
        {
            journal.Add(Enumerable.Range(0, 8).Select(i => Record($"s{store}-{i}", 1)));
            Assert.False(journal.ShouldFold(alarmsInWorkflow: 512), $"folded after {store + 1} stores");
        }

        journal.Add(Enumerable.Range(0, 8).Select(i => Record($"s11-{i}", 1)));
        Assert.True(journal.ShouldFold(alarmsInWorkflow: 512));
        // Never more than the workflow itself: a full copy of 20 alarms is no bigger than a journal of 20.
        var small = new AlarmJournal();
        small.Add(Enumerable.Range(0, 20).Select(i => Record($"x{i}", 1)));
        Assert.True(small.ShouldFold(alarmsInWorkflow: 20));
    }

    [Fact]
    public void Under_a_storm_a_store_writes_near_the_least_possible_records()
    {
        // 500 alarms in the workflow, 10 of them changing a store (a storm): the journal's records plus the full copies'
        // over 1 000 stores. The least average is about √(2nk) = 100 records a store (95 here); the threshold of one
        // change a store (√(2n) = 31) folded every 4 stores and wrote 140.
        const int n = 500, k = 10, stores = 1_000;
        var journal = new AlarmJournal();
        long written = 0;
        for (var store = 0; store < stores; store++)
        {
            journal.Add(Enumerable.Range(0, k).Select(i => Record($"a{((store * k) + i) % n}", store + 1)));
            if (journal.ShouldFold(n))
            {
                written += n;
                journal.Clear();
            }
            else
            {
                written += journal.Changes.Count;
            }
        }

        var perStore = (double)written / stores;
        Assert.InRange(perStore, 90, 110);
    }

    /// <summary>A journal on record is resumed after a reactivation: its changes count, but not as one big store.</summary>
    [Fact]
    public void A_resumed_journal_keeps_its_changes_but_not_their_rate()
    {
        var journal = new AlarmJournal();
        journal.Resume(Enumerable.Range(0, 20).Select(i => Record($"r{i}", 1)));
        journal.Add([Record("next", 1)]);

        // One change a store since: √(2 · 200) = 20, reached by 21 changes. Had the resume counted as a store of 20, the
        // threshold would have been √(2 · 200 · 10.5) = 64.
        Assert.Equal(21, journal.Changes.Count);
        Assert.True(journal.ShouldFold(alarmsInWorkflow: 200));
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
