using CitySense.Grains.State;

namespace CitySense.Grains.Domain.History;

/// <summary>
/// A history bucket's data-quality score, 0–100, with the weights of the windows' score (docs/indicators.md): completeness
/// 0.4 (accepted readings against expected ones), validity 0.3, timeliness 0.2, uniqueness 0.1.
/// </summary>
public static class HistoryQuality
{
    /// <summary>Null for a bucket that received and expected nothing.</summary>
    public static int? Score(HistoryFigures f)
    {
        var received = f.Accepted + f.Rejected + f.Duplicates + f.Late;
        if (received == 0 && f.Expected <= 0)
        {
            return null;
        }

        // No interval known for any device (none declared, none observed yet): what arrived is all that was expected.
        var completeness = f.Expected > 0 ? Math.Min(1.0, f.Accepted / f.Expected) : 1.0;
        var validity = received > 0 ? 1 - ((double)f.Rejected / received) : 0;
        var timeliness = f.Accepted > 0 ? (double)f.Timely / f.Accepted : 0;
        var uniqueness = received > 0 ? 1 - ((double)(f.Duplicates + f.Late) / received) : 0;
        return (int)Math.Round(100 * ((0.4 * completeness) + (0.3 * validity) + (0.2 * timeliness) + (0.1 * uniqueness)), MidpointRounding.AwayFromZero);
    }
}
