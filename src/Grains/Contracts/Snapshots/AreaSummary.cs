namespace CitySense.Contracts.Snapshots;

/// <summary>
/// What a community reports to its district (and a district to the city): device and active-alarm counts, devices in
/// kind order, alarms by kind and severity. Areas keep what they receive as values (KeptSummary), not this record.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AreaSummary([property: Id(0)] DeviceCounts[] Devices, [property: Id(1)] AlarmCount[] Alarms)
{
    public static readonly AreaSummary Empty = new([], []);
}
