using CitySense.Contracts.Telemetry;

namespace CitySense.Contracts.Devices;

/// <summary>One ingest batch's readings for the devices of one shard: <c>Readings[i]</c> are <c>Devices[i]</c>'s, in arrival order.</summary>
[GenerateSerializer, Immutable]
public readonly record struct ShardBatch(
    [property: Id(0)] DeviceAddress[] Devices,
    [property: Id(1)] DeviceReading[][] Readings);
