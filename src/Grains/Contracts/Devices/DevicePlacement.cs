using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Devices;

/// <summary>Where a device is counted (null: neither provisioned nor seen), and whether it was decommissioned.</summary>
[GenerateSerializer, Immutable]
public sealed record DevicePlacement(
    [property: Id(0)] DeviceAddress? Address,
    [property: Id(1)] bool Decommissioned);
