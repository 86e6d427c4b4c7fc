namespace CitySense.IntegrationTests.City;

/// <summary>One reading the test city publishes, with the values the expectations are computed from.</summary>
public sealed record TestReading(
    string District,
    string Community,
    string Kind,
    string Device,
    long TimestampMs,
    ulong Seq,
    decimal? Register,
    double Flow,
    double Temperature,
    bool ViaGateway);
