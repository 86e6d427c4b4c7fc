using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;

namespace CitySense.UnitTests.Domain;

/// <summary>
/// Hand-written device updates of one community's water meters over two one-minute windows, and the indicators they
/// must fold into, worked out by hand. Aggregates are tested against these numbers, never against production code.
/// </summary>
internal static class WaterScenario
{
    /// <summary>2025-03-01T12:00:00Z and the minute after.</summary>
    public const long W0 = 1_740_830_400_000;
    public const long W1 = W0 + 60_000;

    private const DeviceUpdateFlags New = DeviceUpdateFlags.FirstSeen | DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest;

    // d1 and d2 start in W0 (baselines, no consumption); d1 moves 3 litres in W0, then 500 litres in W1.
    // Latest flows: d1 2.0 -> 1.5 -> 2.0, d2 3.0, so the flow sum is 4.5 after W0 and 5.0 after W1.
    public static DeviceUpdate[] Updates() =>
    [
        Update("d1", W0 + 1_000, W0, 0m, 2.0, New, ("total", 100), ("flow", 2.0), ("temp", 10)),
        Update("d2", W0 + 2_000, W0, 0m, 3.0, New, ("total", 50), ("flow", 3.0), ("temp", 14)),
        Update("d1", W0 + 3_000, W0, 0.003m, -0.5, DeviceUpdateFlags.Latest, ("total", 100.003), ("flow", 1.5), ("temp", 12)),
        Update("d1", W1 + 1_000, W1, 0.5m, 0.5, DeviceUpdateFlags.FirstInWindow | DeviceUpdateFlags.Latest, ("total", 100.503), ("flow", 2.0), ("temp", 11)),
    ];

    /// <summary>Two readings refused on arrival during W1.</summary>
    public static RejectionCount[] Rejections() => [new("water", RejectionReason.InvalidTimestamp, W1, 2)];

    public static DeviceUpdate Update(
        string device,
        long timestampMs,
        long windowStartMs,
        decimal consumptionDelta,
        double flowDelta,
        DeviceUpdateFlags flags,
        params (string Name, double Value)[] metrics) =>
        Update("water", device, timestampMs, windowStartMs, consumptionDelta, flowDelta, flags, metrics);

    public static DeviceUpdate Update(
        string kind,
        string device,
        long timestampMs,
        long windowStartMs,
        decimal consumptionDelta,
        double flowDelta,
        DeviceUpdateFlags flags,
        params (string Name, double Value)[] metrics) =>
        new(device, kind, timestampMs, windowStartMs, consumptionDelta, flowDelta, flags,
            metrics.Select(m => new MetricSample(m.Name, m.Value)).ToArray(), RejectionReason.None);
}
