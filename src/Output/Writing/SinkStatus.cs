namespace CitySense.Output.Writing;

/// <summary>What operators see of the indicator output (GET /health).</summary>
/// <param name="LinesDropped">Oldest lines dropped because the memory budget was exceeded while the server was unreachable.</param>
/// <param name="LinesSpilled">Lines waiting on disk (beyond the memory budget, or left at the last shutdown).</param>
/// <param name="LinesRejected">Lines in batches the server answered with a permanent error (400, 422): not retried.</param>
public sealed record SinkStatus(
    string Destination,
    long LinesWritten,
    long LinesQueued,
    long BytesQueued,
    long LinesDropped,
    long LinesRejected,
    long LinesSpilled,
    long BytesSpilled,
    long FailedAttempts,
    DateTimeOffset? LastSuccess,
    string? LastError);
