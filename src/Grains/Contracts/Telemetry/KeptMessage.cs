namespace CitySense.Contracts.Telemetry;

/// <summary>The latest message of a kept topic (<see cref="IKeptTopics"/>).</summary>
public readonly record struct KeptMessage(string Topic, byte[] Payload, string ContentType);
