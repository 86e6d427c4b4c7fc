using CitySense.Api.Endpoints;
using CitySense.Contracts.Alarms;

namespace CitySense.Api.Alarms;

/// <summary>A refused alarm action (409): why, and the alarm as it stands.</summary>
public sealed record AlarmConflict(string Error, string Message, AlarmRecord Alarm);
