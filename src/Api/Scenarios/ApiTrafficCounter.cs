using CitySense.Contracts.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CitySense.Api.Scenarios;

/// <summary>
/// Counts this node's /api requests asked and answered, for the data-sharing scenario. Placed before the API's
/// protection (CORS, rate limits), so that a request refused with 429 counts as asked and not answered.
/// </summary>
public sealed class ApiTrafficCounter(TimeProvider time)
{
    private static readonly string NodeName = $"{Environment.MachineName}:{Environment.ProcessId}";
    private long _asked;
    private long _answered;

    public ApiTraffic Current => new(NodeName, Interlocked.Read(ref _asked), Interlocked.Read(ref _answered), time.GetUtcNow().ToUnixTimeMilliseconds());

    internal async Task CountAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }

        Interlocked.Increment(ref _asked);
        await next(context);
        var status = context.Response.StatusCode;
        // An exception escaping the pipeline skips this line: the request was asked and not answered.
        if (status < 500 && status != StatusCodes.Status429TooManyRequests)
        {
            Interlocked.Increment(ref _answered);
        }
    }
}

public static class ApiTrafficCounting
{
    public static IApplicationBuilder UseApiTrafficCounting(this IApplicationBuilder app)
    {
        var counter = app.ApplicationServices.GetRequiredService<ApiTrafficCounter>();
        return app.Use(next => context => counter.CountAsync(context, next));
    }
}
