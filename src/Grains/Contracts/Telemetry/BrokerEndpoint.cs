namespace CitySense.Contracts.Telemetry;

/// <summary>An external broker's address and the silo's credentials on it (Mqtt:Host, Mqtt:Port, Mqtt:ClientId, ...).</summary>
public sealed record BrokerEndpoint(string Host, int Port, string ClientId, string? Username, string? Password);
