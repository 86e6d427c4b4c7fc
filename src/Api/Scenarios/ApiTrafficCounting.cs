using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CitySense.Api.Scenarios;

/// <summary>The middleware of <see cref="ApiTrafficCounter"/>: first in the pipeline, before the API's protection.</summary>
public static class ApiTrafficCounting
{
    public static IApplicationBuilder UseApiTrafficCounting(this IApplicationBuilder app)
    {
        var counter = app.ApplicationServices.GetRequiredService<ApiTrafficCounter>();
        return app.Use(next => context => counter.CountAsync(context, next));
    }
}
