namespace CitySense.Api.Sharing;

/// <summary>One area's figures of one kind on one local day: a row of a daily dataset.</summary>
public sealed record DatasetRow(
    string Date,
    string? District,
    string? Community,
    string Kind,
    decimal Consumption,
    decimal Measured,
    decimal Estimated,
    long ReadingsAccepted,
    double ReadingsExpected,
    int? QualityScore);
