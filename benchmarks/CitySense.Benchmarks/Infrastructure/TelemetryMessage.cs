using System.Buffers;

namespace CitySense.Benchmarks.Infrastructure;

/// <summary>One MQTT message as the edge hands it to the decoder: topic string and payload sequence.</summary>
public sealed record TelemetryMessage(string Topic, ReadOnlySequence<byte> Payload, int Readings);
