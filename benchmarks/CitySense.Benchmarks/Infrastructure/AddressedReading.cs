using CitySense.Contracts.Telemetry;

namespace CitySense.Benchmarks.Infrastructure;

/// <summary>A decoded reading as the ingest worker hands it to a device grain.</summary>
public sealed record AddressedReading(DeviceAddress Address, DeviceReading Reading);
