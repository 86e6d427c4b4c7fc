namespace CitySense.Contracts.History;

/// <summary>
/// One bucket of an area's history for one kind (docs/history.md). Consumption is in the kind's unit (m³ or kWh);
/// <paramref name="Consumption"/> = <paramref name="Measured"/> + <paramref name="Estimated"/>. Flows are the area's sum of
/// its devices' latest flows, sampled at each flow reading; <paramref name="NightFlowMin"/> is its minimum inside the
/// night window (Alarms:NightStart–NightEnd, local), water only. Null where the bucket has no data for the figure.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HistoryPoint(
    [property: Id(0)] string Kind,
    [property: Id(1)] long StartMs,
    [property: Id(2)] long EndMs,
    [property: Id(3)] string LocalStart,
    [property: Id(4)] decimal Consumption,
    [property: Id(5)] decimal Measured,
    [property: Id(6)] decimal Estimated,
    [property: Id(7)] long ReadingsAccepted,
    [property: Id(8)] double ReadingsExpected,
    [property: Id(9)] double? FlowMean,
    [property: Id(10)] double? FlowMax,
    [property: Id(11)] double? NightFlowMin,
    [property: Id(12)] int? QualityScore)
{
    [Id(13)] public long Rejected { get; init; }

    [Id(14)] public long Duplicates { get; init; }

    [Id(15)] public long Late { get; init; }

    /// <summary>Meters' reporting gaps closed in the bucket whose consumption was estimated over the gap.</summary>
    [Id(16)] public long GapsEstimated { get; init; }

    /// <summary>Gaps longer than Vee:MaxGap: left unestimated (their step stays, measured, in the closing reading's hour).</summary>
    [Id(17)] public long GapsNotEstimated { get; init; }

    /// <summary>Register readings held as suspect in the bucket (docs/history.md); an accepted one's step is in the consumption.</summary>
    [Id(18)] public long Suspects { get; init; }
}
