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
