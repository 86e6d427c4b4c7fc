namespace CitySense.Contracts.Indicators;

/// <summary>
/// What a community last counted of one of its devices. A device grain that lost its memory (its silo died) starts again
/// from here, so it neither counts again what the community has nor loses what the community has not.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DeviceCheckpoint(
    [property: Id(0)] decimal Cumulative,
    [property: Id(1)] decimal? Register,
    [property: Id(2)] long NewestMs,
    [property: Id(3)] long FirstSeenMs)
{
    /// <summary>The device's latest flow as its areas' flow sums hold it, or null.</summary>
    [Id(4)] public double? LastFlow { get; init; }
}
