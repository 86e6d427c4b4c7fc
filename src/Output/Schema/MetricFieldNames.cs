using System.Collections.Concurrent;

namespace CitySense.Output.Schema;

/// <summary>
/// The five line-protocol field names of a metric's window statistics, built once per metric name rather than at every
/// flush of every window (metric names are few: the kinds' canonical metrics and what community devices report).
/// </summary>
public sealed record MetricFieldNames(string Count, string Min, string Max, string Mean, string Latest)
{
    private static readonly ConcurrentDictionary<string, MetricFieldNames> Known = new(StringComparer.Ordinal);

    // Metric names come from devices: past this many, new ones are not kept (a flood of names cannot grow memory).
    private const int MaxKept = 100_000;

    public static MetricFieldNames Of(string metric)
    {
        if (Known.TryGetValue(metric, out var names))
        {
            return names;
        }

        names = new MetricFieldNames(metric + "_count", metric + "_min", metric + "_max", metric + "_mean", metric + "_latest");
        return Known.Count < MaxKept ? Known.GetOrAdd(metric, names) : names;
    }
}
