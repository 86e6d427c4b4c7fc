namespace CitySense.Contracts.Registry;

/// <summary>An operator provisions a device ahead of its first reading.</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceRegistration(
    [property: Id(0)] string District,
    [property: Id(1)] string Community,
    [property: Id(2)] string Kind,
    [property: Id(3)] decimal? RegisterMax,
    [property: Id(4)] TimeSpan? ExpectedInterval,
    [property: Id(5)] Dictionary<string, string>? Tags);
