namespace CitySense.Api.History;

/// <summary>The optional body of an accept or reject: a comment for the audit trail.</summary>
public sealed record SuspectDecisionBody(string? Comment);
