using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CitySense.Api.Screen;

/// <summary>
/// The live operations screen at "/": one HTML page with its CSS and JavaScript inline, embedded in this assembly, so
/// a control room without internet access (or with a strict proxy) loads nothing from anywhere else. The page holds no
/// data: it is anonymous, and its live connection sends the key the operator enters.
/// </summary>
public static class OperationsScreen
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(OperationsScreen).Assembly.GetManifestResourceStream("CitySense.Api.Screen.index.html")
            ?? throw new InvalidOperationException("The operations screen is not embedded in CitySense.Api.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IEndpointRouteBuilder MapOperationsScreen(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            // Everything the page needs is inline or on this origin.
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self'";
            return Results.Bytes(Page.Value, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }
}
