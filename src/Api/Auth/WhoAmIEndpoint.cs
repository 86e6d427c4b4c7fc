using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CitySense.Api.Auth;

/// <summary>
/// GET /api/whoami: the name and scopes of the key sent. The operations screen asks it so that a read-only key (a wall
/// screen's) gets no alarm actions it would only see refused.
/// </summary>
public static class WhoAmIEndpoint
{
    public static RouteGroupBuilder MapWhoAmIEndpoint(this RouteGroupBuilder read)
    {
        read.MapGet("/whoami", WhoAmI).WithName("WhoAmI").WithSummary("The name and scopes of the API key sent");
        return read;
    }

    private static Ok<KeyIdentity> WhoAmI(ClaimsPrincipal user) => TypedResults.Ok(new KeyIdentity(
        user.Identity?.Name ?? "anonymous",
        user.FindAll(ApiScopes.ClaimType).Select(c => c.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()));
}
