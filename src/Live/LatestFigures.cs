using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CitySense.Contracts.Live;
using Orleans.Serialization;

namespace CitySense.Live;

/// <summary>
/// The latest figures of every area and kind, for a new subscriber's snapshot. Kept serialized, each in an array of its
/// own that the next update of the same area and kind overwrites: the update objects themselves were replaced up to
/// four times a second each (<see cref="LiveOptions.AreaInterval"/>), so at thousands of communities the GC promoted
/// them and found them dead in its oldest generation (keeping none lowered the peak RSS of a million devices from 2 199
/// to 2 018 MiB in one pair of runs, benchmarks/RESULTS.md §55). An update is serialized into one scratch buffer and
/// copied into its entry's array, which is replaced only when the update no longer fits or fits with more than
/// <see cref="Slack"/> bytes to spare: an update's size changes by a few bytes from one to the next (variable-length
/// numbers), and an array of a fixed 1 KB per entry was 36 MB at 35 000 areas and kinds. Only <see cref="Read"/> is
/// thread-safe; everything else runs under the hub's lock.
/// </summary>
internal sealed class LatestFigures(Serializer serializer)
{
    /// <summary>Arrays are sized in steps of this many bytes, and replaced when an update leaves more than this unused.</summary>
    internal const int Slack = 64;

    private readonly Dictionary<(string Level, string Key, string Kind), Entry> _latest = [];
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);

    public int Count => _latest.Count;

    public void Set(IndicatorUpdate update)
    {
        var key = (update.Level, update.Key, update.Figures.Kind);
        _scratch.ResetWrittenCount();
        // If this throws, the entry keeps the update before, which is what subscribers last received: the hub sends
        // nothing of one it cannot keep.
        serializer.Serialize(update, _scratch);
        var written = _scratch.WrittenSpan;
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_latest, key);
        if (!Unsafe.IsNullRef(ref entry) && entry.Bytes.Length >= written.Length && entry.Bytes.Length - written.Length <= Slack)
        {
            written.CopyTo(entry.Bytes);
            entry.Length = written.Length;
            return;
        }

        var bytes = new byte[(written.Length + Slack - 1) / Slack * Slack];
        written.CopyTo(bytes);
        _latest[key] = new Entry(bytes, written.Length);
    }

    /// <summary>Copies of the serialized updates that <paramref name="filter"/> matches (taken under the hub's lock).</summary>
    public List<byte[]> CopyMatching(LiveFilter filter)
    {
        var copies = new List<byte[]>();
        foreach (var ((level, key, kind), entry) in _latest)
        {
            if (filter.Matches(level, key, kind))
            {
                copies.Add(entry.Written.ToArray());
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
        _latest.TryGetValue((level, key, kind), out var entry) ? entry.Written.ToArray() : null;

    /// <summary>The updates of <see cref="CopyMatching"/> again (outside the lock).</summary>
    public IndicatorUpdate Read(byte[] copy) =>
        serializer.Deserialize<IndicatorUpdate>(copy) ?? throw new InvalidOperationException("A kept update read back as null.");

    /// <summary>One area and kind's serialized update: the first <see cref="Length"/> bytes of <see cref="Bytes"/>.</summary>
    private struct Entry(byte[] bytes, int length)
    {
        public readonly byte[] Bytes = bytes;
        public int Length = length;

        public readonly ReadOnlySpan<byte> Written => Bytes.AsSpan(0, Length);
    }
}
