using System.Buffers;
using System.Runtime.InteropServices;
using CitySense.Contracts.Live;
using Orleans.Serialization;

namespace CitySense.Live;

/// <summary>
/// The latest figures of every area and kind, for a new subscriber's snapshot. Kept serialized, each in a buffer of its
/// own that the next update of the same area and kind overwrites: the update objects themselves were replaced up to
/// four times a second each (<see cref="LiveOptions.AreaInterval"/>), so at thousands of communities the GC promoted
/// them and found them dead in its oldest generation — 180 MiB of peak RSS at a million devices (benchmarks/RESULTS.md
/// §55). A buffer only grows, to its area and kind's largest update. Not thread-safe: the hub holds its lock.
/// </summary>
internal sealed class LatestFigures(Serializer serializer)
{
    private readonly Dictionary<(string Level, string Key, string Kind), ArrayBufferWriter<byte>> _latest = [];

    public int Count => _latest.Count;

    public void Set(IndicatorUpdate update)
    {
        ref var buffer = ref CollectionsMarshal.GetValueRefOrAddDefault(_latest, (update.Level, update.Key, update.Figures.Kind), out _);
        buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        serializer.Serialize(update, buffer);
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

    /// <summary>The updates of <see cref="CopyMatching"/> again (outside the lock).</summary>
    public IndicatorUpdate Read(byte[] copy) =>
        serializer.Deserialize<IndicatorUpdate>(copy) ?? throw new InvalidOperationException("A kept update read back as null.");
}
