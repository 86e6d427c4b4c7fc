using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CitySense.Api.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CitySense.Api.Auth;

/// <summary>
/// API keys with scopes (docs/api.md, Authentication). The key comes in the X-Api-Key header; a browser WebSocket,
/// which cannot send headers, offers it as the subprotocol "citysense-key.{key}". With no key configured, clients on
/// loopback get every scope and everybody else is refused: the embedded demo works on the machine it runs on, and a
/// silo bound to a network address is never open by accident. Keys are compared as SHA-256 hashes in constant time
/// and never logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ApiKeyOptions> keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string WebSocketProtocolPrefix = "citysense-key.";

    private const string FailureItem = "citysense.auth.failure";

    private readonly (byte[] Hash, string Name, string[] Scopes)[] _keys = keys.Value.Keys
        .Where(k => !string.IsNullOrEmpty(k.Key))
        .Select((k, i) => (SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), k.Name ?? $"key {i}", k.Scopes.Select(s => s.Trim().ToLowerInvariant()).ToArray()))
        .ToArray();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            if (_keys.Length == 0 && IsLoopback(Context.Connection.RemoteIpAddress))
            {
                return Task.FromResult(Success("anonymous (loopback, no keys configured)", ApiScopes.All));
            }

            Context.Items[FailureItem] = _keys.Length == 0 ? "not-configured" : "missing";
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        (string Name, string[] Scopes)? match = null;
        foreach (var key in _keys)
        {
            // Every key is compared, in constant time, so timing tells nothing about which keys exist.
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                match = (key.Name, key.Scopes);
            }
        }

        if (match is null)
        {
            Context.Items[FailureItem] = "invalid";
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        return Task.FromResult(Success(match.Value.Name, match.Value.Scopes));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var body = Context.Items[FailureItem] switch
        {
            "invalid" => new ProblemBody("invalid-api-key", $"The API key is not valid. Send a configured key in the {HeaderName} header."),
            "not-configured" => new ProblemBody("api-keys-not-configured", "No API keys are configured, so only clients on this machine (loopback) are served. Configure Api:Keys (docs/api.md)."),
            _ => new ProblemBody("missing-api-key", $"This endpoint needs an API key with scope '{RequiredScope() ?? ApiScopes.Read}' in the {HeaderName} header."),
        };
        await Response.WriteAsJsonAsync(body);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var scope = RequiredScope() ?? "another";
        await Response.WriteAsJsonAsync(new ProblemBody("insufficient-scope", $"This endpoint needs an API key with scope '{scope}'; the key sent does not have it."));
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers[HeaderName].ToString();
        if (!string.IsNullOrEmpty(header))
        {
            return header;
        }

        foreach (var value in request.Headers.SecWebSocketProtocol)
        {
            foreach (var protocol in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (protocol.StartsWith(WebSocketProtocolPrefix, StringComparison.Ordinal))
                {
                    return protocol[WebSocketProtocolPrefix.Length..];
                }
            }
        }

        return null;
    }

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private string? RequiredScope() =>
        Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);

    private AuthenticateResult Success(string name, string[] scopes)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        claims.AddRange(scopes.Select(s => new Claim(ApiScopes.ClaimType, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
