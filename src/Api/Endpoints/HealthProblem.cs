namespace CitySense.Api.Endpoints;

/// <summary>A health check's section when the check could not report its figures (it threw or timed out).</summary>
public sealed record HealthProblem(string Status, string? Error);
