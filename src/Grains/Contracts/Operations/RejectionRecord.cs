namespace CitySense.Contracts.Operations;

/// <summary>One rejected input as shown to operators. <see cref="Excerpt"/> is the payload's start, never more.</summary>
public sealed record RejectionRecord(
    DateTimeOffset At,
    string Reason,
    string Topic,
    string? ClientId,
    string? Device,
    string Detail,
    string Excerpt);
