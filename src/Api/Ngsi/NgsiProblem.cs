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
    public const string AlreadyExists = "https://uri.etsi.org/ngsi-ld/errors/AlreadyExists";

    /// <summary>The media type of error bodies (RFC 9457).</summary>
    public const string MediaType = "application/problem+json";

    public static IResult BadRequest(string detail) => Of(BadRequestData, "Bad request data", detail, StatusCodes.Status400BadRequest);

    public static IResult Invalid(string detail) => Of(InvalidRequest, "Invalid request", detail, StatusCodes.Status400BadRequest);

    public static IResult NotFound(string detail) => Of(ResourceNotFound, "Resource not found", detail, StatusCodes.Status404NotFound);

    public static IResult Conflict(string detail) => Of(AlreadyExists, "Already exists", detail, StatusCodes.Status409Conflict);

    public static IResult TooMany(string detail) => Of(TooManyResults, "Too many results", detail, StatusCodes.Status403Forbidden);

    public static IResult NotSupported(string detail) => Of(OperationNotSupported, "Operation not supported", detail, StatusCodes.Status501NotImplemented);

    /// <summary>
    /// 406: CIM 009 answers only application/json and application/ld+json and names no error type for this, so the
    /// body says InvalidRequest (the request itself, not its data, cannot be served).
    /// </summary>
    public static IResult NotAcceptable(string detail) => Of(InvalidRequest, "Not acceptable", detail, StatusCodes.Status406NotAcceptable);

    public static IResult Of(string type, string title, string detail, int status) =>
        TypedResults.Json(new NgsiProblemBody(type, title, status, detail), contentType: MediaType, statusCode: status);
}
