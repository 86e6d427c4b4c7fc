using CitySense.Contracts.Devices;

namespace CitySense.Grains.Routing;

/// <summary>One shard's readings of a batch, sent to the silo that owns the shard.</summary>
[GenerateSerializer, Immutable]
public readonly record struct ShardPart([property: Id(0)] int Shard, [property: Id(1)] ShardBatch Batch);
