using CitySense.Contracts.Alarms;

namespace CitySense.Api.Alarms;

/// <param name="Open">Alarms on the operators' list, oldest raise first, each with its workflow and audit trail.</param>
/// <param name="Escalations">Escalations in this community so far.</param>
public sealed record CommunityAlarms(string District, string Community, AlarmRecord[] Open, long Escalations);
