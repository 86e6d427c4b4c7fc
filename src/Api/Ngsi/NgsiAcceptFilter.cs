using Microsoft.AspNetCore.Http;

namespace CitySense.Api.Ngsi;

/// <summary>
/// Answers 406 before any grain is read when the client accepts neither application/json nor application/ld+json
/// (ETSI GS CIM 009, 6.3.4).
/// </summary>
public sealed class NgsiAcceptFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        NgsiResponse.Negotiate(context.HttpContext.Request) is null
            ? ValueTask.FromResult<object?>(NgsiProblem.NotAcceptable(
                $"NGSI-LD answers {NgsiResponse.JsonMediaType} or {NgsiContext.JsonLdMediaType}; Accept was '{context.HttpContext.Request.Headers.Accept}'."))
            : next(context);
}
