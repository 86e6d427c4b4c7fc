namespace CitySense.Contracts.Snapshots;

/// <summary>
/// The devices of one kind in an area. Every registered device is either online or offline; a device that never
/// reported is offline.
/// </summary>
/// <param name="Registered">Provisioned by an operator or registered by their first reading, not decommissioned.</param>
/// <param name="Reporting">Registered devices that sent at least one accepted reading.</param>
/// <param name="Online">Devices whose silence (ingest time) is within their offline threshold.</param>
[GenerateSerializer, Immutable]
public sealed record DeviceCounts(
    [property: Id(0)] string Kind,
    [property: Id(1)] long Registered,
    [property: Id(2)] long Reporting,
    [property: Id(3)] long Online,
    [property: Id(4)] long Offline)
{
    /// <summary>
    /// Readings per hour the registered devices should send: each device's declared interval, else its observed one
    /// (devices with neither expect nothing yet). History's readings expected (docs/history.md).
    /// </summary>
    [Id(5)] public double ExpectedPerHour { get; init; }
}
