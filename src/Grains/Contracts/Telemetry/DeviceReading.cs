namespace CitySense.Contracts.Telemetry;

/// <summary>One accepted-by-the-decoder reading of one device.</summary>
/// <param name="TimestampMs">Event time, Unix milliseconds, as the device reported it.</param>
/// <param name="Seq">Per-device counter; meaningful only when <paramref name="HasSeq"/>.</param>
/// <param name="ReceivedAtMs">Ingest time, Unix milliseconds.</param>
/// <param name="Metrics">Every numeric property other than ts/seq/device/kind.</param>
[GenerateSerializer, Immutable]
public readonly record struct DeviceReading(
    [property: Id(0)] long TimestampMs,
    [property: Id(1)] ulong Seq,
    [property: Id(2)] bool HasSeq,
    [property: Id(3)] long ReceivedAtMs,
    [property: Id(4)] MetricSample[] Metrics);
