using System.Collections;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// A window's (or a kind's) metric accumulators: one array slot per name of its kind's <see cref="MetricNames"/>, the
/// names themselves shared by all the kind's windows. The array is sized to the slots the window has used, so a window
/// costs one array of structs (24 bytes and 48 per metric) where it held a sorted set, a names array, a values array
/// and an object per metric. Enumerates the metrics with readings, in ordinal order of their names, without
/// allocating.
/// </summary>
public struct WindowMetrics(MetricNames names) : IEnumerable<KeyValuePair<string, MetricAccumulator>>
{
    private MetricAccumulator[] _values = [];

    /// <summary>The kind's names, whose slots index this set.</summary>
    public readonly MetricNames Names => names;

    /// <summary>The accumulator of <paramref name="name"/>, added (empty) when new.</summary>
    public ref MetricAccumulator GetOrAdd(string name)
    {
        var slot = names.SlotOf(name);
        if (slot >= _values.Length)
        {
            // Grown to the kind's names, not doubled: a window's metrics rarely change after its first readings.
            Array.Resize(ref _values, names.Count);
        }

        return ref _values[slot];
    }

    /// <summary>Empties every accumulator, keeping the array (a reused window, <see cref="WindowAggregate.Reuse"/>).</summary>
    public readonly void Clear() => Array.Clear(_values);

    /// <summary>The metrics with at least one value.</summary>
    public readonly int Count
    {
        get
        {
            var count = 0;
            foreach (var value in _values)
            {
                if (value.Count > 0)
                {
                    count++;
                }
            }

            return count;
        }
    }

    public readonly Enumerator GetEnumerator() => new(names, _values);

    readonly IEnumerator<KeyValuePair<string, MetricAccumulator>> IEnumerable<KeyValuePair<string, MetricAccumulator>>.GetEnumerator()
    {
        foreach (var metric in this)
        {
            yield return metric;
        }
    }

    readonly IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<string, MetricAccumulator>>)this).GetEnumerator();

    public struct Enumerator(MetricNames names, MetricAccumulator[] values)
    {
        private int _index = -1;

        public readonly KeyValuePair<string, MetricAccumulator> Current
        {
            get
            {
                var slot = names.InOrdinalOrder[_index];
                return new(names[slot], values[slot]);
            }
        }

        public bool MoveNext()
        {
            var order = names.InOrdinalOrder;
            while (++_index < order.Length)
            {
                // A slot beyond the array, or one with no value, is a name another window of the kind has seen.
                var slot = order[_index];
                if (slot < values.Length && values[slot].Count > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
