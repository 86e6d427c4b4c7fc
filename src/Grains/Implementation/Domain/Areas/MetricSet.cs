using System.Collections;

namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// A window's metric accumulators by name, in ordinal order. A window has a handful of metrics, so sorted arrays beat a
/// SortedDictionary, and enumerating them allocates nothing (a SortedDictionary enumerator allocates a stack, once per
/// window written).
/// </summary>
public sealed class MetricSet : IEnumerable<KeyValuePair<string, MetricAccumulator>>
{
    private string[] _names = [];
    private MetricAccumulator[] _values = [];
    private int _count;

    public int Count => _count;

    public IEnumerable<string> Keys => _names.Take(_count);

    public MetricAccumulator this[string name]
    {
        get => Find(name) is var i and >= 0 ? _values[i] : throw new KeyNotFoundException(name);
        set
        {
            var i = Find(name);
            if (i >= 0)
            {
                _values[i] = value;
            }
            else
            {
                Insert(~i, name, value);
            }
        }
    }

    public MetricAccumulator GetOrAdd(string name)
    {
        var i = Find(name);
        if (i >= 0)
        {
            return _values[i];
        }

        var accumulator = new MetricAccumulator();
        Insert(~i, name, accumulator);
        return accumulator;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, MetricAccumulator>> IEnumerable<KeyValuePair<string, MetricAccumulator>>.GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return new(_names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<string, MetricAccumulator>>)this).GetEnumerator();

    /// <summary>The index of <paramref name="name"/>, or the complement of where it belongs.</summary>
    private int Find(string name)
    {
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(_names[mid], name);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private void Insert(int at, string name, MetricAccumulator value)
    {
        if (_count == _names.Length)
        {
            var size = Math.Max(4, _count * 2);
            Array.Resize(ref _names, size);
            Array.Resize(ref _values, size);
        }

        Array.Copy(_names, at, _names, at + 1, _count - at);
        Array.Copy(_values, at, _values, at + 1, _count - at);
        _names[at] = name;
        _values[at] = value;
        _count++;
    }

    public struct Enumerator(MetricSet set)
    {
        private int _index = -1;

        public readonly KeyValuePair<string, MetricAccumulator> Current => new(set._names[_index], set._values[_index]);

        public bool MoveNext() => ++_index < set._count;
    }
}
