using System.Buffers;
using System.Runtime.InteropServices;
using CitySense.Contracts.Live;
using Orleans.Serialization;

namespace CitySense.Live;

/// <summary>
/// The latest figures of every area and kind, for a new subscriber's snapshot. Kept serialized, each in a buffer of its
/// own that the next update of the same area and kind overwrites: the update objects themselves were replaced up to
/// four times a second each (<see cref="LiveOptions.AreaInterval"/>), so at thousands of communities the GC promoted
/// them and found them dead in its oldest generation (keeping none lowered the peak RSS of a million devices from 2 199
/// to 2 018 MiB in one pair of runs, benchmarks/RESULTS.md §55). A buffer only grows, to its area and kind's largest
/// update. Only <see cref="Read"/> is thread-safe; everything else runs under the hub's lock.
/// </summary>
internal sealed class LatestFigures(Serializer serializer)
{
    private readonly Dictionary<(string Level, string Key, string Kind), ArrayBufferWriter<byte>> _latest = [];

    public int Count => _latest.Count;

    public void Set(IndicatorUpdate update)
    {
        var key = (update.Level, update.Key, update.Figures.Kind);
        ref var buffer = ref CollectionsMarshal.GetValueRefOrAddDefault(_latest, key, out _);
        buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        try
        {
            serializer.Serialize(update, buffer);
        }
        catch
        {
            // A half-written entry would fail every later snapshot that selects it: the area and kind is left out
            // until its next update instead.
            _latest.Remove(key);
            throw;
        }
    }

    /// <summary>Copies of the serialized updates that <paramref name="filter"/> matches (taken under the hub's lock).</summary>
    public List<byte[]> CopyMatching(LiveFilter filter)
    {
        var copies = new List<byte[]>();
        foreach (var ((level, key, kind), buffer) in _latest)
        {
            if (filter.Matches(level, key, kind))
            {
                copies.Add(buffer.WrittenSpan.ToArray());
            }
        }

        return copies;
    }

    /// <summary>The areas and kinds <paramref name="select"/> gives a label for (null: left out), with it.</summary>
    public List<(T Label, string Level, string Key, string Kind)> Select<T>(Func<string, string, string, T?> select)
        where T : class
    {
        var selected = new List<(T, string, string, string)>();
        foreach (var (level, key, kind) in _latest.Keys)
        {
            if (select(level, key, kind) is { } label)
            {
                selected.Add((label, level, key, kind));
            }
        }

        return selected;
    }

    /// <summary>A copy of one area and kind's serialized update, or null when it has none (taken under the hub's lock).</summary>
    public byte[]? Copy(string level, string key, string kind) =>
        _latest.TryGetValue((level, key, kind), out var buffer) ? buffer.WrittenSpan.ToArray() : null;

    /// <summary>The updates of <see cref="CopyMatching"/> again (outside the lock).</summary>
    public IndicatorUpdate Read(byte[] copy) =>
        serializer.Deserialize<IndicatorUpdate>(copy) ?? throw new InvalidOperationException("A kept update read back as null.");
}
