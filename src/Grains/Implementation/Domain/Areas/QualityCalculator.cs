using CitySense.Contracts.Snapshots;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// Data quality of an area per window, all kinds together. A component without data counts 0, so a silent window
/// scores 0. Formulas in docs/indicators.md.
/// </summary>
public static class QualityCalculator
{
    public static QualitySnapshot Compute(long startMs, IEnumerable<WindowAggregate> windows, long registered)
    {
        long reporting = 0, accepted = 0, rejected = 0, duplicates = 0, late = 0;
        var lags = new LagHistogram();
        foreach (var w in windows)
        {
            reporting += w.DevicesReporting;
            accepted += w.Accepted;
            rejected += w.Rejected;
            duplicates += w.Duplicates;
            late += w.Late;
            w.Lags.AddTo(ref lags);
        }

        var received = accepted + rejected + duplicates + late;
        var completeness = registered > 0 ? Math.Min(1.0, (double)reporting / registered) : 0;
        var validity = received > 0 ? 1 - (double)rejected / received : 0;
        var timeliness = lags.Count > 0 ? (double)lags.Timely / lags.Count : 0;
        var uniqueness = received > 0 ? 1 - (double)(duplicates + late) / received : 0;
        var score = (int)Math.Round(100 * (0.4 * completeness + 0.3 * validity + 0.2 * timeliness + 0.1 * uniqueness), MidpointRounding.AwayFromZero);
        return new QualitySnapshot(startMs, completeness, validity, timeliness, lags.Percentile(0.5), lags.Percentile(0.95), received, rejected, duplicates, late, score);
    }
}
