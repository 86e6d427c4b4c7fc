using CitySense.Contracts.Alarms;

namespace CitySense.Contracts.Live;

/// <summary>One alarm event as published live, numbered in the same sequence as <see cref="IndicatorUpdate"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record AlarmUpdate(
    [property: Id(0)] long Seq,
    [property: Id(1)] long AtMs,
    [property: Id(2)] AlarmEvent Alarm) : ILiveUpdate;
