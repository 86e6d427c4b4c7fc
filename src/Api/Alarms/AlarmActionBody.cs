namespace CitySense.Api.Alarms;

/// <summary>The optional body of an alarm action: the team (assign only) and a comment for the audit trail (comment: required).</summary>
public sealed record AlarmActionBody(string? Team, string? Comment);
