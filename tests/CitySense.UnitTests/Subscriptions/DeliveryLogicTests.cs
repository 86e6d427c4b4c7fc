using CitySense.Contracts.Subscriptions;
using CitySense.Grains.Subscriptions;
using Xunit;

namespace CitySense.UnitTests.Subscriptions;

public sealed class DeliveryLogicTests
{
    private static EntityChange Change(int n) => new("urn:e:" + n, "T", n, "{}");

    [Fact]
    public void Backoff_doubles_from_the_minimum_up_to_the_maximum_and_jitter_only_shortens_it_by_a_fifth()
    {
        var min = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromSeconds(30);
        Assert.Equal(TimeSpan.Zero, RetryBackoff.Delay(0, min, max, 0));
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(1, 7).Select(n => RetryBackoff.Delay(n, min, max, 0).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(24), RetryBackoff.Delay(100, min, max, 1));
        Assert.Equal(TimeSpan.FromSeconds(0.8), RetryBackoff.Delay(1, min, max, 1));
    }

    [Fact]
    public void Throttling_holds_the_next_notification_until_its_seconds_have_passed()
    {
        Assert.Equal(long.MinValue, Throttle.NextAllowedMs(null, 5));
        Assert.Equal(long.MinValue, Throttle.NextAllowedMs(1_000, 0));
        Assert.Equal(3_500, Throttle.NextAllowedMs(1_000, 2.5));
    }

    [Fact]
    public void A_failed_batch_is_retried_whole_as_the_same_notification_and_later_changes_wait_behind_it()
    {
        var queue = new DeliveryQueue(100);
        queue.Add([Change(1), Change(2), Change(3)]);
        var ids = 0;
        var first = queue.Next(2, () => "n" + ++ids, 10);
        queue.Add([Change(4)]);
        var retry = queue.Next(2, () => "n" + ++ids, 20);

        Assert.Equal(first, retry);
        Assert.Equal(("n1", 10L, 2), (queue.InFlightId, queue.InFlightNotifiedAtMs, queue.InFlightAttempts));
        Assert.Equal(2, queue.Complete());
        Assert.Equal([3L, 4L], queue.Next(10, () => "n" + ++ids, 30).Select(c => c.ObservedAtMs));
        Assert.Equal("n2", queue.InFlightId);
    }

    [Fact]
    public void At_its_bound_the_queue_drops_the_oldest_change_not_in_flight_and_counts_it()
    {
        var queue = new DeliveryQueue(4);
        queue.Add([Change(1), Change(2), Change(3)]);
        queue.Next(2, () => "n", 0);

        var dropped = queue.Add([Change(4), Change(5), Change(6)]);

        Assert.Equal(2, dropped);
        Assert.Equal([1L, 2L, 5L, 6L], queue.ToArray().Select(c => c.ObservedAtMs));
        Assert.Equal(2, queue.Complete());
    }

    [Fact]
    public void A_restored_queue_attempts_its_stored_batch_again_under_the_same_id()
    {
        var queue = new DeliveryQueue(10);
        queue.Restore([Change(1), Change(2), Change(3)], inFlight: 2, inFlightId: "n7", inFlightNotifiedAtMs: 99);

        var batch = queue.Next(10, () => "new", 200);

        Assert.Equal(("n7", 99L), (queue.InFlightId, queue.InFlightNotifiedAtMs));
        Assert.Equal([1L, 2L], batch.Select(c => c.ObservedAtMs));
    }
}
