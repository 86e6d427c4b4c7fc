using CitySense.Contracts.Vee;
using CitySense.Grains.Domain.Areas;

namespace CitySense.UnitTests.History;

/// <summary>A community's held and decided suspect readings, found by device and time however many there are.</summary>
public sealed class SuspectBookTests
{
    private readonly SuspectBook _book = new();

    [Fact]
    public void A_redelivered_suspect_is_held_once_and_a_decision_moves_it_to_the_audit_trail()
    {
        _book.Hold(Suspect("w1", 1), nowMs: 10);
        _book.Hold(Suspect("w1", 1), nowMs: 11);
        Assert.Single(_book.Held);
        Assert.True(_book.Decide(Suspect("w1", 1) with { State = SuspectState.Accepted, DecidedBy = "ops", Counted = 2m }));
        Assert.Empty(_book.Held);
        Assert.Equal(SuspectState.Accepted, _book.Find("w1", 1)?.State);
        Assert.False(_book.Decide(Suspect("w1", 1) with { State = SuspectState.Rejected }));
        Assert.Null(_book.Find("w1", 2));
    }

    [Fact]
    public void A_confirmation_marks_the_held_reading_and_holds_nothing_new()
    {
        _book.Hold(Suspect("w1", 1), nowMs: 10);
        _book.Hold(Suspect("w1", 1) with { LevelConfirmedAtMs = 5 }, nowMs: 11);
        Assert.Equal(5, Assert.Single(_book.Held).LevelConfirmedAtMs);
        Assert.Equal(5, _book.Find("w1", 1)?.LevelConfirmedAtMs);
        // Of a reading decided meanwhile, or never held here: nothing changes and nothing is held.
        _book.Hold(Suspect("w2", 1), nowMs: 12);
        Assert.True(_book.Decide(Suspect("w2", 1) with { State = SuspectState.Rejected, DecidedBy = "ops", Counted = 0 }));
        _book.Hold(Suspect("w2", 1) with { LevelConfirmedAtMs = 6 }, nowMs: 13);
        _book.Hold(Suspect("w3", 1) with { LevelConfirmedAtMs = 7 }, nowMs: 14);
        Assert.Single(_book.Held);
        Assert.Null(_book.Find("w2", 1)?.LevelConfirmedAtMs);
        Assert.Null(_book.Find("w3", 1));
    }

    [Fact]
    public void Past_the_bound_the_oldest_held_reading_is_rejected_by_the_system_and_the_trail_keeps_the_newest_decisions()
    {
        const int held = SuspectBook.DefaultHeldKept, decided = SuspectBook.DefaultDecidedKept;
        var total = held + decided + 10;
        var rejected = 0;
        for (var i = 0; i < total; i++)
        {
            rejected += _book.Hold(Suspect("w" + (i % 7), i), nowMs: i);
        }

        Assert.Equal(held, _book.Held.Count);
        Assert.Equal(decided, _book.Decided.Count());
        Assert.Equal(decided + 10, rejected);
        var oldestHeld = total - held;
        Assert.Equal(SuspectState.Held, _book.Find("w" + (oldestHeld % 7), oldestHeld)?.State);
        var newestDecided = oldestHeld - 1;
        Assert.Equal(SuspectBook.System, _book.Find("w" + (newestDecided % 7), newestDecided)?.DecidedBy);
        Assert.Null(_book.Find("w0", 0));
        Assert.Equal(_book.Held.Count + _book.Decided.Count(), _book.Of(null).Length);
    }

    [Fact]
    public void A_restored_book_finds_what_it_held_and_decided()
    {
        _book.Hold(Suspect("w1", 1), nowMs: 1);
        _book.Hold(Suspect("w2", 2), nowMs: 2);
        _book.Decide(Suspect("w1", 1) with { State = SuspectState.Rejected, DecidedBy = "ops" });
        var restored = new SuspectBook();
        restored.Restore(_book.Held, _book.Decided);
        Assert.Equal(SuspectState.Held, restored.Find("w2", 2)?.State);
        Assert.Equal("ops", restored.Find("w1", 1)?.DecidedBy);
        Assert.True(restored.Decide(Suspect("w2", 2) with { State = SuspectState.Accepted }));
        Assert.Equal([SuspectState.Accepted, SuspectState.Rejected], restored.Decided.Select(s => s.State));
    }

    [Fact]
    public void The_bounds_are_settings_and_a_book_restored_above_a_lowered_one_comes_down_to_it_at_the_next_hold()
    {
        for (var i = 0; i < 10; i++)
        {
            _book.Hold(Suspect("w1", i), nowMs: i);
        }

        var smaller = new SuspectBook(heldKept: 3, decidedKept: 2);
        smaller.Restore(_book.Held, _book.Decided);
        Assert.Equal(10, smaller.Held.Count);

        var rejected = smaller.Hold(Suspect("w1", 10), nowMs: 10);

        Assert.Equal([8L, 9L, 10L], smaller.Held.Select(s => s.TimestampMs));
        Assert.Equal([7L, 6L], smaller.Decided.Select(s => s.TimestampMs));
        Assert.Equal(8, rejected);
        Assert.All(smaller.Decided, s => Assert.Equal((SuspectState.Rejected, SuspectBook.System, 0m), (s.State, s.DecidedBy, s.Counted)));
    }

    private static SuspectReading Suspect(string device, long timestampMs) =>
        new(device, "water", timestampMs, 10m, 8m, 2m, SuspectReading.Spike, 2.0, 0.1);
}
