namespace CitySense.Api.Ngsi;

/// <summary>
/// NGSI-LD's error body (ETSI GS CIM 009, 5.5): RFC 9457 ProblemDetails whose type is one of the NGSI-LD error URIs
/// (<see cref="NgsiProblem"/>). A record, so that the OpenAPI document describes exactly what is sent.
/// </summary>
/// <param name="Type">https://uri.etsi.org/ngsi-ld/errors/{BadRequestData, InvalidRequest, ResourceNotFound, TooManyResults, OperationNotSupported}.</param>
/// <param name="Status">The HTTP status code, repeated in the body as RFC 9457 has it.</param>
public sealed record NgsiProblemBody(string Type, string Title, int Status, string Detail);
