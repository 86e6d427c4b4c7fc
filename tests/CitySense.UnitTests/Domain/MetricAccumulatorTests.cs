using CitySense.Grains.Domain.Areas;

namespace CitySense.UnitTests.Domain;

public sealed class MetricAccumulatorTests
{
    [Fact]
    public void Values_fold_into_count_min_max_sum_and_mean()
    {
        var accumulator = new MetricAccumulator();

        accumulator.Add(4, 1_000);
        accumulator.Add(-2, 2_000);
        accumulator.Add(7.5, 3_000);

        Assert.Equal(3, accumulator.Count);
        Assert.Equal(-2, accumulator.Min);
        Assert.Equal(7.5, accumulator.Max);
        Assert.Equal(4 - 2 + 7.5, accumulator.Sum);
        Assert.Equal((4 - 2 + 7.5) / 3, accumulator.Mean);
    }

    [Fact]
    public void Latest_is_the_value_with_the_newest_event_time_not_the_last_arrival()
    {
        var accumulator = new MetricAccumulator();

        accumulator.Add(1, 5_000);
        accumulator.Add(2, 4_000);

        Assert.Equal(1, accumulator.Latest);
        Assert.Equal(5_000, accumulator.LatestTimestampMs);
    }

    [Fact]
    public void Of_two_values_with_the_same_event_time_the_later_arrival_is_latest()
    {
        var accumulator = new MetricAccumulator();

        accumulator.Add(1, 5_000);
        accumulator.Add(2, 5_000);

        Assert.Equal(2, accumulator.Latest);
    }

    [Fact]
    public void The_first_value_sets_min_max_and_latest_whatever_its_sign_and_time()
    {
        // An array slot starts as the default struct (zeros), not as an accumulator that has seen a value.
        var positive = default(MetricAccumulator);
        var negative = default(MetricAccumulator);

        positive.Add(5, -1_000);
        negative.Add(-5, 1_000);

        Assert.Equal((5.0, 5.0, 5.0, -1_000L), (positive.Min, positive.Max, positive.Latest, positive.LatestTimestampMs));
        Assert.Equal((-5.0, -5.0, -5.0), (negative.Min, negative.Max, negative.Latest));
    }

    [Fact]
    public void An_empty_accumulator_has_a_mean_of_zero()
    {
        Assert.Equal(0, new MetricAccumulator().Mean);
    }
}
