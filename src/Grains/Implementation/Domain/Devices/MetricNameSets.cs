using System.Collections.Concurrent;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// The metric names of devices' newest readings, one shared array per set of names in order: a city's devices report a
/// handful of sets (one or two per kind), so a million devices keep their latest values as doubles and share the names
/// instead of each holding a (name, value) pair per metric. Arrays handed out are never changed. Looked up on a device's
/// first reading in an activation and whenever its set of names changes (a meter adding its battery level now and
/// then), from any grain's thread: without a lock, and without making an array unless the set is new. Bounded: past
/// <see cref="MaxShared"/> sets (devices making up their names) a new set is not shared, the device keeps its own.
/// </summary>
internal static class MetricNameSets
{
    public const int MaxShared = 4096;

    private static readonly ConcurrentDictionary<string[], string[]> Shared = new(NamesComparer.Instance);
    private static readonly ConcurrentDictionary<string[], string[]>.AlternateLookup<MetricSample[]> ByMetrics =
        Shared.GetAlternateLookup<MetricSample[]>();

    private static int s_count;

    /// <summary>The shared array holding the names of <paramref name="metrics"/> in their order.</summary>
    public static string[] For(MetricSample[] metrics)
    {
        if (metrics.Length == 0)
        {
            return [];
        }

        if (ByMetrics.TryGetValue(metrics, out var shared))
        {
            return shared;
        }

        var names = NamesComparer.NamesOf(metrics);
        // The count is a bound, not an exact figure: two threads adding at once may both pass it by one.
        if (Volatile.Read(ref s_count) < MaxShared && Shared.TryAdd(names, names))
        {
            Interlocked.Increment(ref s_count);
            return names;
        }

        return Shared.TryGetValue(names, out shared) ? shared : names;
    }

    /// <summary>Whether <paramref name="names"/> are the names of <paramref name="metrics"/> in their order.</summary>
    public static bool Match(string[] names, MetricSample[] metrics)
    {
        if (names.Length != metrics.Length)
        {
            return false;
        }

        for (var i = 0; i < names.Length; i++)
        {
            // The decoder interns names: usually the same instance.
            if (!ReferenceEquals(names[i], metrics[i].Name) && !string.Equals(names[i], metrics[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Names compared in order, ordinally; a reading's metrics compared by their names without copying them.</summary>
    private sealed class NamesComparer : IEqualityComparer<string[]>, IAlternateEqualityComparer<MetricSample[], string[]>
    {
        public static readonly NamesComparer Instance = new();

        public static string[] NamesOf(MetricSample[] metrics)
        {
            var names = new string[metrics.Length];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = metrics[i].Name;
            }

            return names;
        }

        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(string[] names)
        {
            var hash = new HashCode();
            foreach (var name in names)
            {
                hash.Add(name, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }

        public bool Equals(MetricSample[] alternate, string[] other) => Match(other, alternate);

        public int GetHashCode(MetricSample[] alternate)
        {
            var hash = new HashCode();
            foreach (var metric in alternate)
            {
                hash.Add(metric.Name, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }

        public string[] Create(MetricSample[] alternate) => NamesOf(alternate);
    }
}
