namespace CitySense.Contracts.Snapshots;

/// <summary>What a community reports to its district (and a district to the city): device and active-alarm counts.</summary>
[GenerateSerializer, Immutable]
public sealed record AreaSummary([property: Id(0)] DeviceCounts[] Devices, [property: Id(1)] AlarmCount[] Alarms)
{
    public static readonly AreaSummary Empty = new([], []);

    /// <summary>Sums summaries of child areas.</summary>
    public static AreaSummary Sum(IEnumerable<AreaSummary> parts)
    {
        var list = parts.ToList();
        var devices = list.SelectMany(p => p.Devices).GroupBy(d => d.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DeviceCounts(g.Key, g.Sum(d => d.Registered), g.Sum(d => d.Reporting), g.Sum(d => d.Online), g.Sum(d => d.Offline))
            {
                ExpectedPerHour = g.Sum(d => d.ExpectedPerHour),
            })
            .ToArray();
        var alarms = list.SelectMany(p => p.Alarms).GroupBy(a => (a.Kind, a.Severity)).OrderBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Severity)
            .Select(g => new AlarmCount(g.Key.Kind, g.Key.Severity, g.Sum(a => a.Active)))
            .ToArray();
        return new AreaSummary(devices, alarms);
    }

    public bool SameAs(AreaSummary other) => Devices.SequenceEqual(other.Devices) && Alarms.SequenceEqual(other.Alarms);
}
