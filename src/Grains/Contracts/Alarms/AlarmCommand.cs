namespace CitySense.Contracts.Alarms;

/// <summary>An operator's action on an alarm: acknowledge, assign (to <see cref="Team"/>), comment or clear by hand.</summary>
/// <param name="By">The API key's name of the operator (recorded in the audit trail).</param>
[GenerateSerializer, Immutable]
public sealed record AlarmCommand(
    [property: Id(0)] AlarmAction Action,
    [property: Id(1)] string By,
    [property: Id(2)] string? Team,
    [property: Id(3)] string? Comment);
