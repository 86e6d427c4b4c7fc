using CitySense.Contracts.Scenarios;
using Microsoft.AspNetCore.Http;

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

    public ApiTraffic Current
    {
        get
        {
            // Answered before asked: each request adds to answered first, so these two reads never show more answered than asked.
            var answered = Interlocked.Read(ref _answered);
            var asked = Interlocked.Read(ref _asked);
            return new ApiTraffic(NodeName, asked, answered, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    internal async Task CountAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }

        // Counted once answered or failed, never in flight: a request asking for the counts is not yet among them.
        var answered = false;
        try
        {
            await next(context);
            var status = context.Response.StatusCode;
            answered = status < 500 && status != StatusCodes.Status429TooManyRequests;
        }
        finally
        {
            if (answered)
            {
                Interlocked.Increment(ref _answered);
            }

            Interlocked.Increment(ref _asked);
        }
    }
}
