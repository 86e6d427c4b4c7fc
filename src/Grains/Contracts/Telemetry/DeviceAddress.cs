namespace CitySense.Contracts.Telemetry;

/// <summary>
/// Where a device lives in the city. Instances are interned by the ingest edge (one per device),
/// so passing them around costs a reference, not a copy.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class DeviceAddress
{
    public DeviceAddress(string district, string community, string kind, string device)
    {
        District = district;
        Community = community;
        Kind = kind;
        Device = device;
        CommunityKey = AreaKeys.Community(district, community);
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
