using CitySense.Contracts.Indicators;

namespace CitySense.Contracts.Subscriptions;

/// <summary>The hook when no API (and so no subscription) runs in the process: grain test clusters.</summary>
public sealed class NoSubscriptionChanges : ISubscriptionChanges
{
    public bool Enabled => false;

    public void DevicesChanged(string district, string community, IReadOnlyList<DeviceUpdate> updates)
    {
    }
}
