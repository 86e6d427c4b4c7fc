namespace CitySense.Contracts.Alarms;

/// <summary>The answer to an operator's action: the outcome, the alarm as it stands (unless not found), and why a refusal.</summary>
[GenerateSerializer, Immutable]
public sealed record AlarmDecision(
    [property: Id(0)] AlarmOutcome Outcome,
    [property: Id(1)] AlarmRecord? Record,
    [property: Id(2)] string? Error);
