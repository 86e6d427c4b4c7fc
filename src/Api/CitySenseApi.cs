using CitySense.Api.Alarms;
using CitySense.Api.Auth;
using CitySense.Api.Documentation;
using CitySense.Api.Endpoints;
using CitySense.Api.History;
using CitySense.Api.Protection;
using CitySense.Api.Live;
using CitySense.Api.Ngsi;
using CitySense.Api.Ngsi.Subscriptions;
using CitySense.Api.Scenarios;
using CitySense.Api.Screen;
using CitySense.Api.Sharing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace CitySense.Api;

public static class CitySenseApi
{
    /// <summary>Authentication (API keys and scopes), request protection and its body limit, and the OpenAPI document.</summary>
    public static IServiceCollection AddCitySenseApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCitySenseAuth(configuration);
        services.AddApiProtection(configuration);
        services.Configure<SharingOptions>(configuration.GetSection(SharingOptions.Section));
        services.AddNgsi(configuration);
        services.AddNgsiSubscriptions();
        services.AddSingleton<ApiTrafficCounter>();
        services.AddOpenApi(o => o.AddDocumentTransformer<ApiKeyDocumentTransformer>().AddSchemaTransformer<NumberSchemaTransformer>());
        return services;
    }

    /// <summary>
    /// Maps /api/... (read scope for scenario apps, operate scope for operators), the anonymous /health, the OpenAPI
    /// document (/openapi/v1.json), its reference page (/reference) and the live operations screen (/).
    /// </summary>
    public static IEndpointRouteBuilder MapCitySenseApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        var read = api.MapGroup(string.Empty).RequireAuthorization(ApiScopes.Read);
        read.MapGroup(string.Empty).WithTags("Indicators").MapAreaEndpoints();
        read.MapGroup(string.Empty).WithTags("History").MapHistoryEndpoints();
        read.MapGroup(string.Empty).WithTags("History").MapSuspectReadEndpoints();
        read.MapGroup(string.Empty).WithTags("Open data").MapDatasetEndpoints();
        read.MapGroup(string.Empty).WithTags("Alarms").MapAlarmEndpoints().MapAlarmWorkflowReadEndpoints();
        read.MapGroup(string.Empty).WithTags("Live").MapLiveEndpoints();
        app.MapNgsi();
        read.MapGroup(string.Empty).WithTags("Authentication").MapWhoAmIEndpoint();
        read.MapGroup(string.Empty).WithTags("Scenarios").MapScenarioEndpoints();
        var operate = api.MapGroup(string.Empty).RequireAuthorization(ApiScopes.Operate).WithTags("Operations");
        operate.MapOperationsEndpoints();
        operate.MapLiveAdminEndpoints();
        operate.MapSecurityEndpoints();
        operate.MapGroup(string.Empty).WithTags("Registry").MapRegistryEndpoints();
        operate.MapGroup(string.Empty).WithTags("Validation").MapSuspectDecisionEndpoints();
        operate.MapGroup(string.Empty).WithTags("Alarms").MapAlarmWorkflowActionEndpoints();
        // NGSI-LD subscriptions (docs/sharing.md): read them with read, change them with operate.
        app.MapGroup(string.Empty).RequireAuthorization(ApiScopes.Read).WithTags("NGSI-LD").MapSubscriptionReadEndpoints();
        app.MapGroup(string.Empty).RequireAuthorization(ApiScopes.Operate).WithTags("NGSI-LD").MapSubscriptionWriteEndpoints();
        app.MapHealthEndpoint();
        app.MapOpenApi();
        // No web fonts: the reference page must not reach out to a font CDN from a control room.
        app.MapScalarApiReference("/reference", o => o.WithTitle("CitySense API").DisableDefaultFonts());
        app.MapOperationsScreen();
        return app;
    }
}
