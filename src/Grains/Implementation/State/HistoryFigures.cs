namespace CitySense.Grains.State;

/// <summary>
/// What one history bucket (an hour, a day or a month of one kind in one area) counts. Every figure merges exactly: sums
/// add, extremes take the extreme, so a day is its hours merged, a month its days, and a push applied to a bucket adds
/// what was folded since the last one. Derived figures (flow mean, quality score) are computed when read.
/// </summary>
[GenerateSerializer]
public sealed class HistoryFigures
{
    /// <summary>Consumption of readings as measured (m³ or kWh).</summary>
    [Id(0)] public decimal Measured { get; set; }

    /// <summary>Consumption spread over a reporting gap by interpolating the register.</summary>
    [Id(1)] public decimal Estimated { get; set; }

    [Id(2)] public long Accepted { get; set; }

    [Id(3)] public long Rejected { get; set; }

    [Id(4)] public long Duplicates { get; set; }

    [Id(5)] public long Late { get; set; }

    /// <summary>Readings the area's devices were expected to send (their intervals); fractional per hour.</summary>
    [Id(6)] public double Expected { get; set; }

    /// <summary>Accepted readings that arrived within Indicators:TimelyWithin of their event time.</summary>
    [Id(7)] public long Timely { get; set; }

    /// <summary>The area's sum of latest flows, summed over its samples (one per flow reading), and the sample count.</summary>
    [Id(8)] public double FlowTotal { get; set; }

    [Id(9)] public long FlowSamples { get; set; }

    [Id(10)] public double? FlowMax { get; set; }

    [Id(11)] public double? FlowMin { get; set; }

    /// <summary>The lowest flow sample inside the night window (local time).</summary>
    [Id(12)] public double? NightFlowMin { get; set; }

    /// <summary>Reporting gaps closed in this bucket whose step was estimated over the gap, and those too long to estimate.</summary>
    [Id(13)] public long GapsEstimated { get; set; }

    [Id(14)] public long GapsNotEstimated { get; set; }

    /// <summary>Register readings held as suspect (their step counts only once accepted, in their own hour).</summary>
    [Id(15)] public long Suspects { get; set; }

    public bool IsEmpty => Measured == 0 && Estimated == 0 && Accepted == 0 && Rejected == 0 && Duplicates == 0 && Late == 0
        && Expected == 0 && FlowSamples == 0;

    public void Add(HistoryFigures other)
    {
        Measured += other.Measured;
        Estimated += other.Estimated;
        Accepted += other.Accepted;
        Rejected += other.Rejected;
        Duplicates += other.Duplicates;
        Late += other.Late;
        Expected += other.Expected;
        Timely += other.Timely;
        FlowTotal += other.FlowTotal;
        FlowSamples += other.FlowSamples;
        FlowMax = Max(FlowMax, other.FlowMax);
        FlowMin = Min(FlowMin, other.FlowMin);
        NightFlowMin = Min(NightFlowMin, other.NightFlowMin);
        GapsEstimated += other.GapsEstimated;
        GapsNotEstimated += other.GapsNotEstimated;
        Suspects += other.Suspects;
    }

    public void SampleFlow(double flow, bool night)
    {
        FlowTotal += flow;
        FlowSamples++;
        FlowMax = Max(FlowMax, flow);
        FlowMin = Min(FlowMin, flow);
        if (night)
        {
            NightFlowMin = Min(NightFlowMin, flow);
        }
    }

    public HistoryFigures Copy() => (HistoryFigures)MemberwiseClone();

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
