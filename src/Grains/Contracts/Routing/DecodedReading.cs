using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Routing;

/// <summary>A decoded reading waiting in a batch; its metrics live in the batch's shared metric buffer.</summary>
public readonly record struct DecodedReading(
    DeviceAddress Address,
    long TimestampMs,
    ulong Seq,
    bool HasSeq,
    long ReceivedAtMs,
    int MetricStart,
    int MetricCount);
