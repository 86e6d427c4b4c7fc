namespace CitySense.Benchmarks.LineProtocol;

/// <summary>The statistics of one metric in a window, with its five field names prepared once.</summary>
public sealed record WindowMetric(long Count, double Min, double Max, double Mean, double Latest, string Name)
{
    public string CountField { get; } = Name + "_count";
    public string MinField { get; } = Name + "_min";
    public string MaxField { get; } = Name + "_max";
    public string MeanField { get; } = Name + "_mean";
    public string LatestField { get; } = Name + "_latest";
}
