using CitySense.Contracts.Indicators;
using CitySense.Grains.Domain.Areas;
using CitySense.Grains.State;

namespace CitySense.UnitTests.Domain;

/// <summary>
/// An area answers a retried batch with what it returned the first time, for its last batches only, from copies it
/// keeps in place: the caller's arrays are not kept, and what is stored comes back in the same order.
/// </summary>
public sealed class AppliedBatchesTests
{
    [Fact]
    public void A_retry_gets_what_the_batch_returned_and_past_the_ring_the_oldest_is_forgotten()
    {
        var applied = new AppliedBatches(kept: 3);
        applied.Add("b1", [Total("water", 1m), Total("heat", 2m)]);
        applied.Add("b2", [Total("water", 3m)]);
        applied.Add("b3", []);

        Assert.True(applied.TryGet(new string("b1".AsSpan()), out var b1));
        Assert.Equal([Total("water", 1m), Total("heat", 2m)], b1);
        Assert.True(applied.TryGet("b3", out var b3));
        Assert.Empty(b3);

        applied.Add("b4", [Total("gas", 4m)]);

        Assert.False(applied.TryGet("b1", out _));
        Assert.True(applied.TryGet("b2", out var b2));
        Assert.Equal([Total("water", 3m)], b2);
        Assert.Equal(3, applied.Count);
    }

    [Fact]
    public void What_a_batch_returned_is_copied_and_a_reused_slot_keeps_nothing_of_its_older_batch()
    {
        var applied = new AppliedBatches(kept: 1);
        var returned = new[] { Total("water", 1m), Total("heat", 2m) };
        applied.Add("b1", returned);
        returned[0] = Total("water", 99m);

        Assert.True(applied.TryGet("b1", out var answer));
        Assert.Equal(1m, answer[0].Total);
        answer[1] = Total("heat", 98m);
        Assert.True(applied.TryGet("b1", out var again));
        Assert.Equal(2m, again[1].Total);

        applied.Add("b2", [Total("gas", 3m)]);

        Assert.True(applied.TryGet("b2", out var b2));
        Assert.Equal([Total("gas", 3m)], b2);
        Assert.Equal([Total("gas", 3m)], Assert.Single(applied.ToState()).Totals);
    }

    [Fact]
    public void Stored_state_is_oldest_first_and_restores_to_the_same_answers()
    {
        var applied = new AppliedBatches(kept: 3);
        for (var i = 1; i <= 5; i++)
        {
            applied.Add($"b{i}", [Total("water", i)]);
        }

        var state = applied.ToState();
        Assert.Equal(["b3", "b4", "b5"], state.Select(s => s.Id));

        var restored = new AppliedBatches(kept: 2);
        restored.Restore(state);

        Assert.False(restored.TryGet("b3", out _));
        Assert.True(restored.TryGet("b5", out var b5));
        Assert.Equal(5m, Assert.Single(b5).Total);
        Assert.Equal(["b4", "b5"], restored.ToState().Select(s => s.Id));
        restored.Add("b6", []);
        Assert.Equal(["b5", "b6"], restored.ToState().Select(s => s.Id));
    }

    private static SourceTotal Total(string kind, decimal total) => new("c-1", kind, total, 0, 0);
}
