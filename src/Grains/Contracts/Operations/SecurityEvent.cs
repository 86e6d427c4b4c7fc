namespace CitySense.Contracts.Operations;

/// <summary>
/// One refusal as operators see it. Every text field is what the client claimed (user name, client id, topic), cut short
/// and with control characters escaped; a password never gets here.
/// </summary>
public sealed record SecurityEvent(DateTimeOffset At, string Reason, string? ClientId, string? User, string? Endpoint, string? Topic, string Detail);
