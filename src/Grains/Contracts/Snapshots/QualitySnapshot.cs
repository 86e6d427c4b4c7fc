namespace CitySense.Contracts.Snapshots;

/// <summary>
/// Data quality of an area in one window, all kinds together (docs/indicators.md has the formulas).
/// </summary>
/// <param name="Completeness">Devices reporting in the window ÷ devices registered (0–1).</param>
/// <param name="Validity">1 − rejected ÷ received (0–1).</param>
/// <param name="Timeliness">Share of accepted readings whose ingest lag was within Indicators:TimelyWithin (0–1).</param>
/// <param name="LagP50Ms">Median event→ingest lag, as a bucket upper bound (ms); null without readings.</param>
/// <param name="Score">round(100 × (0.4·Completeness + 0.3·Validity + 0.2·Timeliness + 0.1·(1 − (duplicates + late) ÷ received))).</param>
[GenerateSerializer, Immutable]
public sealed record QualitySnapshot(
    [property: Id(0)] long StartMs,
    [property: Id(1)] double Completeness,
    [property: Id(2)] double Validity,
    [property: Id(3)] double Timeliness,
    [property: Id(4)] long? LagP50Ms,
    [property: Id(5)] long? LagP95Ms,
    [property: Id(6)] long Received,
    [property: Id(7)] long Rejected,
    [property: Id(8)] long Duplicates,
    [property: Id(9)] long Late,
    [property: Id(10)] int Score);
