namespace CitySense.Contracts.Telemetry;

/// <summary>
/// Where a device lives in the city. Instances are interned by the ingest edge (one per device),
/// so passing them around costs a reference, not a copy.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class DeviceAddress
{
    public DeviceAddress(string district, string community, string kind, string device)
        : this(district, community, kind, device, AreaKeys.Community(district, community))
    {
    }

    /// <summary>
    /// With the community key already made (and shared: the ingest edge interns it, so a million addresses do not
    /// each carry a copy of their community's key). It must be <see cref="AreaKeys.Community"/> of the two.
    /// </summary>
    public DeviceAddress(string district, string community, string kind, string device, string communityKey)
    {
        District = district;
        Community = community;
        Kind = kind;
        Device = device;
        CommunityKey = communityKey;
    }

    [Id(0)] public string District { get; }
    [Id(1)] public string Community { get; }
    [Id(2)] public string Kind { get; }
    [Id(3)] public string Device { get; }

    /// <summary>The community grain's key: "{district}/{community}" (community ids are unique only within a district).</summary>
    [Id(4)] public string CommunityKey { get; }

    public bool SamePlaceAs(DeviceAddress other) =>
        string.Equals(District, other.District, StringComparison.Ordinal)
        && string.Equals(Community, other.Community, StringComparison.Ordinal)
        && string.Equals(Kind, other.Kind, StringComparison.Ordinal);

    public override string ToString() => $"{District}/{Community}/{Kind}/{Device}";
}
