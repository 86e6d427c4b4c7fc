using System.Globalization;
using System.Threading.RateLimiting;
using CitySense.Api.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CitySense.Api.Protection;

/// <summary>Rate limiting per client, the CORS policy and the request body limit of the HTTP API.</summary>
public static class ApiProtection
{
    public static IServiceCollection AddApiProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ApiProtectionOptions.Section).Get<ApiProtectionOptions>() ?? new ApiProtectionOptions();
        // The body limit is Kestrel's, so that a request past it is refused before it is read.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, token) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await context.HttpContext.Response.WriteAsJsonAsync(
                    new ProblemBody("rate-limited", $"More than {options.RequestsPerSecond} requests per second (burst {options.RequestBurst}) from this client."), token);
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Monitoring must keep working while a client misbehaves.
                if (options.RequestsPerSecond <= 0 || context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/metrics"))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                // One bucket per API key (kept only as a dictionary key, never logged), else per remote address.
                var client = context.Request.Headers["X-Api-Key"].ToString() is { Length: > 0 } key
                    ? "key:" + key
                    : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.RequestBurst),
                    TokensPerPeriod = Math.Max(1, (int)Math.Ceiling(options.RequestsPerSecond)),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, (int)Math.Ceiling(options.RequestsPerSecond)) / options.RequestsPerSecond),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (options.CorsOrigins.Length > 0)
            {
                policy.WithOrigins(options.CorsOrigins)
                    .WithMethods("GET", "PUT", "POST", "DELETE")
                    .WithHeaders("X-Api-Key", "Content-Type", "Last-Event-ID");
            }
        }));
        return services;
    }

    public static IApplicationBuilder UseApiProtection(this IApplicationBuilder app) => app.UseCors().UseRateLimiter();
}
