using CitySense.Contracts.Alarms;

namespace CitySense.Contracts.Snapshots;

/// <summary>Active alarms of one kind and severity in an area.</summary>
[GenerateSerializer, Immutable]
public sealed record AlarmCount([property: Id(0)] string Kind, [property: Id(1)] AlarmSeverity Severity, [property: Id(2)] long Active);
