namespace CitySense.Benchmarks.LineProtocol;

/// <summary>One community window of one kind, as AreaAggregate writes it.</summary>
public sealed record WindowPoint(
    string District,
    string Community,
    string Kind,
    long StartMs,
    long Accepted,
    long Rejected,
    long DevicesReporting,
    long DevicesTotal,
    bool HasRegister,
    decimal Consumption,
    decimal ConsumptionTotal,
    double? FlowSum,
    WindowMetric[] Metrics);

/// <summary>The statistics of one metric in a window, with its five field names prepared once.</summary>
public sealed record WindowMetric(long Count, double Min, double Max, double Mean, double Latest, string Name)
{
    public string CountField { get; } = Name + "_count";
    public string MinField { get; } = Name + "_min";
    public string MaxField { get; } = Name + "_max";
    public string MeanField { get; } = Name + "_mean";
    public string LatestField { get; } = Name + "_latest";
}
