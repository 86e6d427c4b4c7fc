using CitySense.Grains.Domain.Areas;

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
    public void A_checkpoint_carries_the_register_baseline_newest_reading_and_flow_of_one_update()
    {
        Assert.Null(_ledger.Checkpoint("w1"));
        _ledger.Reconcile("w1", 3m, 0, 0, register: 103.25m, newestMs: 5_000, firstSeenMs: 1_000, flow: 0.5);
        // An older reading (applied out of order, another worker) does not move the checkpoint back.
        _ledger.Reconcile("w1", 2.9m, 0, 0, register: 103m, newestMs: 4_000, firstSeenMs: 1_000, flow: 0.7);

        Assert.Equal(new Contracts.Indicators.DeviceCheckpoint(3m, 103.25m, 5_000, 1_000) { LastFlow = 0.5 }, _ledger.Checkpoint("w1"));
    }

    [Fact]
    public void Total_and_baseline_of_a_checkpoint_come_from_the_same_update_whatever_the_order()
    {
        // Two updates with the same newest reading (an out-of-order one moved consumption): the later by total wins whole.
        _ledger.Reconcile("w1", 10.3m, 0, 0, register: 100.8m, newestMs: 200, firstSeenMs: 1, flow: null);
        _ledger.Reconcile("w1", 10.0m, 0, 0, register: 100.5m, newestMs: 200, firstSeenMs: 1, flow: null);

        var checkpoint = _ledger.Checkpoint("w1")!;
        Assert.Equal((10.3m, 100.8m), (checkpoint.Cumulative, checkpoint.Register));
    }

    [Fact]
    public void An_update_from_before_a_move_that_arrives_after_it_counts_only_its_own_growth()
    {
        // Register 1000, 1500, 1501: the last update was in flight when the device moved away (its entry stays).
        _ledger.Reconcile("w1", 0m, 0);
        _ledger.Reconcile("w1", 500m, 500m);

        Assert.Equal(0m, _ledger.Reconcile("w1", 501m, 1m));
    }

    [Fact]
    public void A_device_that_moved_away_and_back_counts_from_its_total_when_it_came_back()
    {
        _ledger.Reconcile("w1", 501m, 0);

        // It counted 199 elsewhere, came back with 700, and read one more litre here.
        Assert.Equal(0m, _ledger.Reconcile("w1", 701m, 1m, startTotal: 700m));
    }

    [Fact]
    public void Flow_sums_are_absolute_and_an_older_report_only_takes_back_what_its_batch_carried()
    {
        Assert.Equal(0.0, _ledger.ReconcileFlow("c1|water", 5.0, counted: 5.0, version: 1));
        // The batch of version 2 (+1.0) was lost between the levels; version 3 (+0.5) arrives: both count.
        Assert.Equal(1.0, _ledger.ReconcileFlow("c1|water", 6.5, counted: 0.5, version: 3));
        // Version 2 arrives late after all: its +1.0 is already in 6.5.
        Assert.Equal(-1.0, _ledger.ReconcileFlow("c1|water", 6.0, counted: 1.0, version: 2));
    }
}
