using System.Text.Json.Nodes;
using CitySense.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CitySense.Api.Ngsi;

/// <summary>Registration of the NGSI-LD API under /ngsi-ld/v1 (read scope) and its @context (anonymous: it holds no data).</summary>
public static class NgsiApi
{
    public static IServiceCollection AddNgsi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NgsiOptions>(configuration.GetSection(NgsiOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NgsiOptions>>().Value);
        services.AddScoped<NgsiSource>();
        return services;
    }

    public static IEndpointRouteBuilder MapNgsi(this IEndpointRouteBuilder app)
    {
        // JSON-LD processors fetch a context without credentials, so the context alone is public.
        app.MapGet(NgsiContext.Path, () => Results.Text(NgsiContext.Document, NgsiContext.JsonLdMediaType))
            .WithName("NgsiContext").WithSummary("The JSON-LD @context of CitySense's NGSI-LD entities").WithTags("NGSI-LD").AllowAnonymous()
            .Produces<JsonObject>(StatusCodes.Status200OK, NgsiContext.JsonLdMediaType);
        var ngsi = app.MapGroup("/ngsi-ld/v1").RequireAuthorization(ApiScopes.Read).WithTags("NGSI-LD").AddEndpointFilter<NgsiAcceptFilter>();
        ngsi.MapNgsiEntityEndpoints();
        ngsi.MapNgsiTemporalEndpoints();
        return app;
    }
}
