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
    long Duplicates,
    long Late,
    bool HasRegister,
    decimal Consumption,
    decimal ConsumptionTotal,
    double? FlowSum,
    WindowMetric[] Metrics)
{
    /// <summary>The community's tags, built once (as a community grain builds them at activation).</summary>
    public KeyValuePair<string, string>[] Tags { get; } = CitySense.Output.Schema.InfluxSchema.AreaTags(District, Community);
}
