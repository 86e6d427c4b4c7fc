namespace CitySense.Ingest.Health;

/// <summary>The "mqtt" section of GET /health.</summary>
/// <param name="Disconnects">External mode: connections to the broker lost or replaced since start (0 in a healthy run).</param>
/// <param name="LastDisconnect">External mode: when and why the last one was lost.</param>
public sealed record MqttHealth(string Mode, string Endpoint, bool Connected, int Connections, string? LastError, DateTimeOffset? Since, long Disconnects, string? LastDisconnect);
