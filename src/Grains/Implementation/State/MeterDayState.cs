namespace CitySense.Grains.State;

/// <summary>A meter's consumption in one local day (<see cref="Day"/> is <see cref="DateOnly.DayNumber"/>), not yet pushed.</summary>
[GenerateSerializer]
public sealed record MeterDayState(
    [property: Id(0)] string Device,
    [property: Id(1)] int Day,
    [property: Id(2)] decimal Measured,
    [property: Id(3)] decimal Estimated);
