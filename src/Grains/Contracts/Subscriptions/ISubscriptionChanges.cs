using CitySense.Contracts.Alarms;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;

namespace CitySense.Contracts.Subscriptions;

/// <summary>
/// Where area grains hand what changed, for NGSI-LD subscriptions: community grains their applied device updates and
/// their alarms' workflow changes, every area its indicators. Called from grain turns: implementations only queue
/// (bounded, never waiting) and must not throw.
/// </summary>
public interface ISubscriptionChanges
{
    /// <summary>False when there is no subscription: callers skip the call.</summary>
    bool Enabled { get; }

    /// <summary>Whether some subscription could select a Community, District or City: areas build a snapshot only then.</summary>
    bool WantsAreas { get; }

    /// <summary>Whether some subscription could select an Alert.</summary>
    bool WantsAlarms { get; }

    void DevicesChanged(string district, string community, IReadOnlyList<DeviceUpdate> updates);

    /// <summary>An area's indicators changed (at most once per Live:AreaInterval per area, the last change included).</summary>
    void AreaChanged(AreaSnapshot area);

    /// <summary>An alarm of a community's workflow changed (raised, updated, acknowledged, cleared...), stored first.</summary>
    void AlarmChanged(AlarmRecord record);
}
