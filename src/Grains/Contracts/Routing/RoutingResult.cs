namespace CitySense.Contracts.Routing;

/// <summary>A batch applied: the readings its devices accepted, and those they refused (for the edge to report).</summary>
public sealed record RoutingResult(int Accepted, IReadOnlyList<DeviceRefusal> Refused)
{
    public static readonly IReadOnlyList<DeviceRefusal> NoneRefused = [];
}
