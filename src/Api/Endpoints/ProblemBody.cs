namespace CitySense.Api.Endpoints;

/// <summary>The error body of every endpoint: a stable machine-readable code and a sentence for people.</summary>
public sealed record ProblemBody(string Error, string Message)
{
    public static ProblemBody InvalidId(string what) => new("invalid-id", $"The {what} id must match [A-Za-z0-9_.-]{{1,64}}.");
}
