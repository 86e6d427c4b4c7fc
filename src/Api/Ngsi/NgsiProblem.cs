using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CitySense.Api.Ngsi;

/// <summary>NGSI-LD's error body: ProblemDetails (RFC 9457) with the NGSI-LD error type URIs.</summary>
public static class NgsiProblem
{
    public const string BadRequestData = "https://uri.etsi.org/ngsi-ld/errors/BadRequestData";
    public const string InvalidRequest = "https://uri.etsi.org/ngsi-ld/errors/InvalidRequest";
    public const string ResourceNotFound = "https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound";
    public const string TooManyResults = "https://uri.etsi.org/ngsi-ld/errors/TooManyResults";
    public const string OperationNotSupported = "https://uri.etsi.org/ngsi-ld/errors/OperationNotSupported";

    public static IResult BadRequest(string detail) => Of(BadRequestData, "Bad request data", detail, StatusCodes.Status400BadRequest);

    public static IResult Invalid(string detail) => Of(InvalidRequest, "Invalid request", detail, StatusCodes.Status400BadRequest);

    public static IResult NotFound(string detail) => Of(ResourceNotFound, "Resource not found", detail, StatusCodes.Status404NotFound);

    public static IResult TooMany(string detail) => Of(TooManyResults, "Too many results", detail, StatusCodes.Status403Forbidden);

    public static IResult NotSupported(string detail) => Of(OperationNotSupported, "Operation not supported", detail, StatusCodes.Status501NotImplemented);

    public static IResult Of(string type, string title, string detail, int status) =>
        Results.Text(new JsonObject { ["type"] = type, ["title"] = title, ["status"] = status, ["detail"] = detail }.ToJsonString(),
            "application/problem+json", statusCode: status);
}
