namespace CitySense.Contracts.Vee;

/// <summary>What an operator's accept or reject did: the reading as decided, or why nothing was done.</summary>
[GenerateSerializer, Immutable]
public sealed record SuspectDecision([property: Id(0)] SuspectOutcome Outcome, [property: Id(1)] SuspectReading? Suspect);
