namespace CitySense.Contracts.Indicators;

/// <summary>The updates of one ingest batch that belong to one area (community, district or city).</summary>
[GenerateSerializer, Immutable]
public sealed record IndicatorBatch(
    [property: Id(0)] DeviceUpdate[] Updates,
    [property: Id(1)] RejectionCount[] Rejections);
