namespace CitySense.IntegrationTests.CityDay;

/// <summary>What the test does at one moment of the day: move the clock, then publish or act as an operator.</summary>
public sealed record DayStep(long NowMs, string? Topic, string? Payload, string? RecordReplacementOf);
