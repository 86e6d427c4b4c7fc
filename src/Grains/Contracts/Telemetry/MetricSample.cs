namespace CitySense.Contracts.Telemetry;

/// <summary>One numeric metric of a reading. <see cref="Name"/> is interned by the decoder.</summary>
[GenerateSerializer, Immutable]
public readonly record struct MetricSample([property: Id(0)] string Name, [property: Id(1)] double Value);
