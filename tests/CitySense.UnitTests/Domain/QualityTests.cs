using CitySense.Grains.Domain.Areas;

namespace CitySense.UnitTests.Domain;

public sealed class QualityTests
{
    [Fact]
    public void Lag_percentiles_are_the_upper_bound_of_the_bucket_holding_the_nearest_rank_sample()
    {
        var lags = new LagHistogram();
        // 20 lags: 1..10 s (×2). Nearest rank p50 = 10th sorted = 5 s → bucket (2 s, 5 s]; p95 = 19th = 10 s → (5 s, 10 s].
        foreach (var seconds in Enumerable.Range(1, 10).Concat(Enumerable.Range(1, 10)))
        {
            lags.Add(seconds * 1000, timelyWithinMs: 3000);
        }

        Assert.Equal(5_000, lags.Percentile(0.5));
        Assert.Equal(10_000, lags.Percentile(0.95));
        Assert.Equal(6, lags.Timely);
        Assert.Null(new LagHistogram().Percentile(0.5));
    }

    [Fact]
    public void A_negative_lag_from_a_clock_running_ahead_counts_as_on_time()
    {
        var lags = new LagHistogram();
        lags.Add(-800, timelyWithinMs: 60_000);

        Assert.Equal(0, lags.Percentile(0.5));
        Assert.Equal(1, lags.Timely);
    }

    [Fact]
    public void The_score_weighs_completeness_validity_timeliness_and_uniqueness()
    {
        var window = new WindowAggregate(0) { DevicesReporting = 8, Accepted = 90, Rejected = 6, Duplicates = 3, Late = 1 };
        for (var i = 0; i < 90; i++)
        {
            window.Lags.Add(i < 72 ? 1_000 : 120_000, timelyWithinMs: 60_000);
        }

        var q = QualityCalculator.Compute(0, [window], registered: 10);

        // C = 8/10, V = 1 − 6/100, T = 72/90, U = 1 − 4/100 → 100 × (0.32 + 0.282 + 0.16 + 0.096) = 85.8 → 86.
        Assert.Equal((0.8, 0.94, 0.8, 100L), (q.Completeness, Math.Round(q.Validity, 9), q.Timeliness, q.Received));
        Assert.Equal(86, q.Score);
    }

    [Fact]
    public void A_silent_window_scores_zero()
    {
        var q = QualityCalculator.Compute(0, [new WindowAggregate(0)], registered: 5);

        Assert.Equal((0, 0, 0.0), (q.Score, q.Received, q.Completeness));
    }
}
