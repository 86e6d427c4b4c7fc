using CitySense.Grains.Domain;

namespace CitySense.UnitTests.Domain;

public sealed class ConsumptionLedgerTests
{
    private readonly ConsumptionLedger _ledger = new();

    [Fact]
    public void A_source_seen_for_the_first_time_grew_from_zero()
    {
        Assert.Equal(0m, _ledger.Reconcile("w1", total: 0.5m, counted: 0.5m));
        // Its first batch was lost between the levels: what the total shows beyond this batch is added.
        Assert.Equal(12m, _ledger.Reconcile("w2", total: 12.5m, counted: 0.5m));
        Assert.Equal(12.5m, _ledger.Entries["w2"].Total);
    }

    [Fact]
    public void A_device_that_moved_here_grew_from_its_total_when_it_moved()
    {
        Assert.Equal(0m, _ledger.Reconcile("w1", total: 40.5m, counted: 0.5m, startTotal: 40m));
    }

    [Fact]
    public void A_normal_batch_grows_the_total_by_what_it_carries_and_changes_nothing()
    {
        _ledger.Reconcile("w1", 10m, 0);

        Assert.Equal(0m, _ledger.Reconcile("w1", 10.75m, 0.75m));
        Assert.Equal(0m, _ledger.Reconcile("w1", 11m, 0.25m));
    }

    [Fact]
    public void A_batch_lost_in_between_is_added_with_the_next_one()
    {
        _ledger.Reconcile("w1", 10m, 0);

        // The batch that took the device to 10.4 was stored by the community but never reached this level.
        Assert.Equal(0.4m, _ledger.Reconcile("w1", 10.5m, 0.1m));
    }

    [Fact]
    public void A_batch_redelivered_after_it_was_counted_is_taken_back()
    {
        _ledger.Reconcile("w1", 10m, 0);
        _ledger.Reconcile("w1", 10.5m, 0.5m);

        Assert.Equal(-0.5m, _ledger.Reconcile("w1", 10.5m, 0.5m));
    }

    [Fact]
    public void Two_batches_applied_out_of_order_count_the_growth_once()
    {
        _ledger.Reconcile("w1", 10m, 0);

        var newerFirst = _ledger.Reconcile("w1", 12m, 1m);
        var olderSecond = _ledger.Reconcile("w1", 11m, 1m);

        Assert.Equal(2m, 1m + newerFirst + 1m + olderSecond);
        Assert.Equal(12m, _ledger.Entries["w1"].Total);
    }

    [Fact]
    public void A_checkpoint_carries_the_register_baseline_and_the_newest_reading()
    {
        Assert.Null(_ledger.Checkpoint("w1"));
        _ledger.Reconcile("w1", 3m, 0);
        _ledger.Advance("w1", register: 103.25m, newestMs: 5_000, firstSeenMs: 1_000);
        // An older reading (applied out of order) does not move the checkpoint back.
        _ledger.Advance("w1", register: 103m, newestMs: 4_000, firstSeenMs: 1_000);

        var checkpoint = _ledger.Checkpoint("w1");

        Assert.Equal(new Contracts.Indicators.DeviceCheckpoint(3m, 103.25m, 5_000, 1_000), checkpoint);
    }

    [Fact]
    public void A_device_that_left_starts_afresh_when_it_comes_back()
    {
        _ledger.Reconcile("w1", 3m, 0);
        _ledger.Remove("w1");

        Assert.Equal(0m, _ledger.Reconcile("w1", 9m, 1m, startTotal: 8m));
    }
}
