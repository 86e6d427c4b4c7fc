using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CitySense.Api.Ngsi.Subscriptions;

/// <summary>
/// NGSI-LD's error body (ETSI GS CIM 009, 5.5.2): a problem details object whose type is one of the standard error
/// URIs, served as application/json.
/// </summary>
public static class NgsiError
{
    public const string BadRequestData = "https://uri.etsi.org/ngsi-ld/errors/BadRequestData";
    public const string InvalidRequest = "https://uri.etsi.org/ngsi-ld/errors/InvalidRequest";
    public const string AlreadyExists = "https://uri.etsi.org/ngsi-ld/errors/AlreadyExists";
    public const string ResourceNotFound = "https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound";

    public static IResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, BadRequestData, "Bad request data", detail);

    public static IResult Invalid(string detail) => Of(StatusCodes.Status400BadRequest, InvalidRequest, "Invalid request", detail);

    public static IResult Conflict(string detail) => Of(StatusCodes.Status409Conflict, AlreadyExists, "Already exists", detail);

    public static IResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, ResourceNotFound, "Resource not found", detail);

    private static IResult Of(int status, string type, string title, string detail)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = type,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        });
        return Results.Json(JsonDocument.Parse(body).RootElement, contentType: "application/json", statusCode: status);
    }
}
