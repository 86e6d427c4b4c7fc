using CitySense.Ingest.Limits;
using Microsoft.Extensions.Time.Testing;
using CitySense.Ingest.Settings;

namespace CitySense.UnitTests.Limits;

public sealed class TokenBucketsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Made_up_keys_beyond_the_capacity_share_one_overflow_bucket_instead_of_growing_memory()
    {
        var buckets = new TokenBuckets(new RateLimitOptions { MessagesPerSecond = 1, Burst = 2 }, _time, capacity: 100);

        var admitted = Enumerable.Range(0, 10_000).Count(i => buckets.TryTake($"topic-{i}"));

        Assert.Equal(100, buckets.Count);
        // Each of the first 100 keys gets its own burst of 2 (one used), and the 9 900 others share the overflow burst of 2.
        Assert.Equal(100 + 2, admitted);
    }

    [Fact]
    public void Buckets_that_refilled_are_dropped_to_make_room_for_new_keys()
    {
        var buckets = new TokenBuckets(new RateLimitOptions { MessagesPerSecond = 1, Burst = 2 }, _time, capacity: 10);
        for (var i = 0; i < 10; i++)
        {
            buckets.TryTake($"old-{i}");
        }

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(buckets.TryTake("new"));
        Assert.Equal(1, buckets.Count);
    }

    [Fact]
    public void Tokens_refill_continuously_at_the_rate_and_never_beyond_the_burst()
    {
        var buckets = new TokenBuckets(new RateLimitOptions { MessagesPerSecond = 4, Burst = 4 }, _time, capacity: 10);
        Assert.Equal(4, Enumerable.Range(0, 10).Count(_ => buckets.TryTake("k")));

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => buckets.TryTake("k")));

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(4, Enumerable.Range(0, 10).Count(_ => buckets.TryTake("k")));
    }
}
