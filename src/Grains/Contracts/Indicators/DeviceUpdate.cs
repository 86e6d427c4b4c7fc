using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Indicators;

/// <summary>
/// What one reading changed on its device, expressed as deltas so that community, district and city
/// aggregates fold it in without re-reading their devices.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct DeviceUpdate(
    [property: Id(0)] string Device,
    [property: Id(1)] string Kind,
    [property: Id(2)] long TimestampMs,
    [property: Id(3)] long WindowStartMs,
    [property: Id(4)] decimal ConsumptionDelta,
    [property: Id(5)] double FlowDelta,
    [property: Id(6)] DeviceUpdateFlags Flags,
    [property: Id(7)] MetricSample[] Metrics,
    [property: Id(8)] RejectionReason Rejection)
{
    public bool Accepted => Rejection == RejectionReason.None;
}
