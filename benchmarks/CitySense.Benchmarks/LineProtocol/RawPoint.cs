using CitySense.Contracts.Telemetry;

namespace CitySense.Benchmarks.LineProtocol;

/// <summary>One accepted reading as a raw citysense_device point.</summary>
public sealed record RawPoint(DeviceAddress Address, long TimestampMs, MetricSample[] Metrics);
