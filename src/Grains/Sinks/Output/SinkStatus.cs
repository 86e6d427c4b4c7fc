namespace CitySense.Sinks.Output;

/// <summary>What operators see of the indicator output (GET /health).</summary>
public sealed record SinkStatus(
    string Destination,
    long LinesWritten,
    long LinesQueued,
    long BytesQueued,
    long LinesDropped,
    long FailedAttempts,
    DateTimeOffset? LastSuccess,
    string? LastError);
