namespace CitySense.Grains.Domain.History;

/// <summary>The local night window whose lowest flow is a water network's minimum night flow (Alarms:NightStart–NightEnd).</summary>
public readonly record struct NightWindow(TimeSpan Start, TimeSpan End);
