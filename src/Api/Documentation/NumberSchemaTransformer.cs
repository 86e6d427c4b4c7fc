using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CitySense.Api.Documentation;

/// <summary>
/// Describes floating-point fields as numbers. The API's JSON options write NaN and Infinity as strings rather than fail
/// (AllowNamedFloatingPointLiterals), so ASP.NET describes every such field as "number or string"; client generators
/// turn that into an empty class (NSwag 14.8 sent <c>"expectedIntervalSeconds": {}</c>). A figure is a number; the
/// named literals are an overflow on absurd input, noted in docs/api.md.
/// </summary>
internal sealed class NumberSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // ASP.NET writes a double as "a number, or one of NaN, Infinity, -Infinity".
        if (schema.AnyOf is { Count: 2 } any
            && any.Any(s => s.Type == JsonSchemaType.Number)
            && any.Any(s => s.Enum is { Count: > 0 }))
        {
            schema.AnyOf = null;
            schema.Type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is null
                ? JsonSchemaType.Number
                : JsonSchemaType.Number | JsonSchemaType.Null;
        }
        else if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Number) && type.HasFlag(JsonSchemaType.String))
        {
            schema.Type = type & ~JsonSchemaType.String;
            // The pattern only described the named literals.
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }
}
