namespace CitySense.Workload;

/// <summary>One community (residential compound) and its devices; gateway messages are per community.</summary>
public sealed class CityCommunity(string district, string id, IReadOnlyList<CityDevice> devices)
{
    public string District { get; } = district;

    public string Id { get; } = id;

    public IReadOnlyList<CityDevice> Devices { get; } = devices;

    /// <summary>The gateway topic of telemetry contract v1: readings of this community's devices, many per message.</summary>
    public string GatewayTopic { get; } = $"city/{district}/{id}/gateway/gw-{id}";
}
