using CitySense.Contracts.Telemetry;

namespace CitySense.Benchmarks.LineProtocol;

/// <summary>One accepted reading as a raw citysense_device point.</summary>
public sealed record RawPoint(string District, string Community, string Kind, string Device, long TimestampMs, MetricSample[] Metrics);
