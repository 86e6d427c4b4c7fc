using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CitySense.Api.Auth;

/// <summary>
/// Authentication and authorization of the API in one place: the API-key scheme and one policy per scope. Rate
/// limiting or CORS belong next to it.
/// </summary>
public static class ApiAuthRegistration
{
    public static IServiceCollection AddCitySenseAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApiKeyOptions>(o => o.Keys = Read(configuration.GetSection(ApiKeyOptions.Section).GetSection("Keys")));
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var policies = services.AddAuthorizationBuilder();
        foreach (var scope in ApiScopes.All)
        {
            policies.AddPolicy(scope, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireClaim(ApiScopes.ClaimType, scope));
        }

        return services;
    }

    /// <summary>
    /// Scopes may be a list (Api:Keys:0:Scopes:0=read) or one value (Api:Keys:0:Scopes=read,operate): an environment
    /// variable or a command-line argument is easier to write as one value, and the binder alone would ignore it.
    /// </summary>
    private static List<ApiKey> Read(IConfigurationSection keys) => keys.GetChildren().Select(k => new ApiKey
    {
        Key = k["Key"] ?? string.Empty,
        Name = k["Name"],
        Scopes = (k["Scopes"] is { } single ? [single] : k.GetSection("Scopes").GetChildren().Select(s => s.Value ?? string.Empty))
            .SelectMany(s => s.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList(),
    }).ToList();
}
