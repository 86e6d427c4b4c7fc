using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Domain.Devices;

/// <summary>
/// The metric names of devices' newest readings, one shared array per set of names in order: a city's devices report a
/// handful of sets (one or two per kind), so a million devices keep their latest values as doubles and share the names
/// instead of each holding a (name, value) pair per metric (8 bytes a metric less). Arrays handed out are never changed.
/// Looked up only when a device's set of names changes, so one lock is enough. Bounded: past <see cref="MaxShared"/> sets
/// (devices making up their names) a set is not shared.
/// </summary>
internal static class MetricNameSets
{
    public const int MaxShared = 4096;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string[], string[]> Shared = new(NamesComparer.Instance);

    /// <summary>The shared array holding the names of <paramref name="metrics"/> in their order.</summary>
    public static string[] For(MetricSample[] metrics)
    {
        if (metrics.Length == 0)
        {
            return [];
        }

        var names = new string[metrics.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = metrics[i].Name;
        }

        lock (Gate)
        {
            if (Shared.TryGetValue(names, out var shared))
            {
                return shared;
            }

            if (Shared.Count < MaxShared)
            {
                Shared.Add(names, names);
            }
        }

        return names;
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

    private sealed class NamesComparer : IEqualityComparer<string[]>
    {
        public static readonly NamesComparer Instance = new();

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
    }
}
