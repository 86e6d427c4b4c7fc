namespace CitySense.Api.Endpoints;

/// <summary>PUT /api/registry/devices/{device}.</summary>
/// <param name="RegisterMax">Register maximum in m³ or kWh (null = the configured default, 99999999.999).</param>
/// <param name="ExpectedIntervalSeconds">How often the device reports; drives offline detection (null = observed).</param>
public sealed record ProvisionRequest(
    string District,
    string Community,
    string Kind,
    decimal? RegisterMax,
    double? ExpectedIntervalSeconds,
    Dictionary<string, string>? Tags);

/// <summary>POST /api/registry/devices/{device}/move.</summary>
public sealed record MoveRequest(string District, string Community);
