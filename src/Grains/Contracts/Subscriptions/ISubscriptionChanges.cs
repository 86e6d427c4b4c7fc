using CitySense.Contracts.Indicators;

namespace CitySense.Contracts.Subscriptions;

/// <summary>
/// Where community grains hand the device updates they applied, for NGSI-LD subscriptions. Called from the grain turn
/// that applies readings: implementations only queue (bounded, never waiting) and must not throw.
/// </summary>
public interface ISubscriptionChanges
{
    /// <summary>False when there is no subscription: callers skip the call.</summary>
    bool Enabled { get; }

    void DevicesChanged(string district, string community, IReadOnlyList<DeviceUpdate> updates);
}
