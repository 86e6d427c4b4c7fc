namespace CitySense.Api.Auth;

/// <summary>The scopes an API key can hold; each is also the name of the authorization policy that requires it.</summary>
public static class ApiScopes
{
    /// <summary>Scenario apps: every GET under /api except operations, SSE and WebSocket.</summary>
    public const string Read = "read";

    /// <summary>Operators: rejections, live subscribers, and the registry and admin endpoints to come.</summary>
    public const string Operate = "operate";

    public const string ClaimType = "scope";

    public static readonly string[] All = [Read, Operate];
}
