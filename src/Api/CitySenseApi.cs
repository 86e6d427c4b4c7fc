using CitySense.Api.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CitySense.Api;

public static class CitySenseApi
{
    /// <summary>Maps /api/... and /health.</summary>
    public static IEndpointRouteBuilder MapCitySenseApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("CitySense");
        api.MapAreaEndpoints();
        api.MapOperationsEndpoints();
        api.MapSecurityEndpoints();
        app.MapHealthEndpoint();
        return app;
    }
}
