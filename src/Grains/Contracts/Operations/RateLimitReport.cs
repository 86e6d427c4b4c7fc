namespace CitySense.Contracts.Operations;

/// <param name="MessagesPerSecond">0: no limit.</param>
public sealed record RateLimitReport(double MessagesPerSecond, int Burst);
