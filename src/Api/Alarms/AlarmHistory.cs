using CitySense.Contracts.Alarms;

namespace CitySense.Api.Alarms;

/// <param name="Area">"city", the district id, or "{district}/{community}".</param>
/// <param name="Limit">At most this many alarms are returned (the newest starts): ask for a shorter range for more.</param>
/// <param name="Alarms">Alarms active at some time in [from, to), newest start first, with their workflow and audit trail.</param>
public sealed record AlarmHistory(string Area, DateTimeOffset From, DateTimeOffset To, int Limit, AlarmRecord[] Alarms);
