using CitySense.Contracts.Alarms;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;

namespace CitySense.Api.Ngsi.Subscriptions;

/// <summary>
/// One item of the matcher's queue, exactly one of: a community's applied device updates, an area's changed indicators,
/// an alarm's workflow change. One queue keeps them in the order the grains handed them.
/// </summary>
internal readonly record struct SubscriptionWork(string District, string Community, IReadOnlyList<DeviceUpdate>? Updates, AreaSnapshot? Area, AlarmRecord? Alarm)
{
    /// <summary>Entity changes the item stands for, for the lost-changes count.</summary>
    public int Changes => Updates?.Count ?? 1;
}
