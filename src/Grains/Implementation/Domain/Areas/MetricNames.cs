namespace CitySense.Grains.Domain.Areas;

/// <summary>
/// The metric names one kind of one area has seen, each with a slot: its windows and totals keep their accumulators in
/// arrays indexed by slot (<see cref="WindowMetrics"/>), so a window holds no names of its own. Slots are handed out in
/// order of first sight and never taken back; enumeration goes in ordinal order of the names, as points and snapshots
/// list them.
/// </summary>
public sealed class MetricNames
{
    private string[] _names = [];
    private int[] _ordinal = [];

    public int Count { get; private set; }

    public string this[int slot] => _names[slot];

    /// <summary>Slots, in ordinal order of their names.</summary>
    public ReadOnlySpan<int> InOrdinalOrder => _ordinal.AsSpan(0, Count);

    /// <summary>The slot of <paramref name="name"/>, added when new.</summary>
    public int SlotOf(string name)
    {
        // A kind has a handful of metrics, and the decoder interns their names: a reference check finds nearly all.
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(_names[i], name))
            {
                return i;
            }
        }

        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return Add(name);
    }

    private int Add(string name)
    {
        if (Count == _names.Length)
        {
            var size = Math.Max(4, Count * 2);
            Array.Resize(ref _names, size);
            Array.Resize(ref _ordinal, size);
        }

        var slot = Count;
        _names[slot] = name;
        var at = Count;
        while (at > 0 && string.CompareOrdinal(_names[_ordinal[at - 1]], name) > 0)
        {
            _ordinal[at] = _ordinal[at - 1];
            at--;
        }

        _ordinal[at] = slot;
        Count++;
        return slot;
    }
}
