namespace CitySense.Ingest.Health;

/// <summary>The "mqtt" section of GET /health.</summary>
/// <param name="Disconnects">External mode: connections to the broker lost or replaced since start (0 in a healthy run).</param>
/// <param name="LastDisconnect">External mode: when and why the last one was lost.</param>
/// <param name="RetainedFiguresSent">Embedded mode: community figures the silo sent new subscribers as retained messages.</param>
/// <param name="RetainedFiguresCut">Embedded mode: such deliveries that stopped before the end (client gone or stalled 30 s).</param>
public sealed record MqttHealth(string Mode, string Endpoint, bool Connected, int Connections, string? LastError, DateTimeOffset? Since, long Disconnects, string? LastDisconnect,
    long RetainedFiguresSent, long RetainedFiguresCut);
