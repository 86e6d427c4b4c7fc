using CitySense.Contracts.Alarms;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;

namespace CitySense.Contracts.Subscriptions;

/// <summary>The hook when no API (and so no subscription) runs in the process: grain test clusters.</summary>
public sealed class NoSubscriptionChanges : ISubscriptionChanges
{
    public bool Enabled => false;

    public bool WantsAreas => false;

    public bool WantsAlarms => false;

    public void DevicesChanged(string district, string community, IReadOnlyList<DeviceUpdate> updates)
    {
    }

    public void AreaChanged(AreaSnapshot area)
    {
    }

    public void AlarmChanged(AlarmRecord record)
    {
    }
}
