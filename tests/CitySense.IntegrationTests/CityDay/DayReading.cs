namespace CitySense.IntegrationTests.CityDay;

/// <summary>One reading of the simulated day, in publishing order, with everything the expectations need.</summary>
public sealed record DayReading(
    int Arrival,
    long ReceivedAtMs,
    string District,
    string Community,
    string Kind,
    string Device,
    long TimestampMs,
    ulong Seq,
    decimal? Register,
    double? Flow,
    IReadOnlyDictionary<string, double> Metrics,
    bool ViaGateway,
    bool ReplacementRecordedBefore);
