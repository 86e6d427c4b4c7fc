using System.Buffers;

namespace CitySense.Workload.Buffers;

/// <summary>
/// Multi-segment <see cref="ReadOnlySequence{T}"/> payloads, as MQTTnet, a pipe or a socket reader hands them over when
/// a message spans several receive buffers: the decoder must then read tokens that straddle segment boundaries.
/// The unit tests cut at chosen offsets (<see cref="Of"/>, <see cref="EverySplit"/>); the benchmarks cut into
/// fixed-size segments (<see cref="Split"/>).
/// </summary>
public static class SegmentedSequence
{
    /// <summary>
    /// The bytes cut at the given ascending offsets (0 and bytes.Length give empty segments, which are legal).
    /// Every segment is a copy in its own array, so a parser that reads past a segment's end cannot get lucky.
    /// </summary>
    public static ReadOnlySequence<byte> Of(byte[] bytes, params int[] cuts)
    {
        var first = new Segment(bytes[..(cuts.Length == 0 ? bytes.Length : cuts[0])], 0);
        var last = first;
        for (var i = 0; i < cuts.Length; i++)
        {
            var end = i + 1 < cuts.Length ? cuts[i + 1] : bytes.Length;
            last = last.Append(bytes[cuts[i]..end]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Every two-segment split and every three-segment split of the bytes, labelled with where it was cut.</summary>
    public static IEnumerable<(string Cuts, ReadOnlySequence<byte> Sequence)> EverySplit(byte[] bytes)
    {
        for (var i = 0; i <= bytes.Length; i++)
        {
            yield return ($"[{i}]", Of(bytes, i));
        }

        for (var i = 0; i <= bytes.Length; i++)
        {
            for (var j = i; j <= bytes.Length; j++)
            {
                yield return ($"[{i},{j}]", Of(bytes, i, j));
            }
        }
    }

    /// <summary>
    /// The bytes in segments of <paramref name="segmentBytes"/> (the last one may be shorter). Unlike <see cref="Of"/>,
    /// the segments are slices of the one array, not copies: the benchmark payloads have always been laid out this
    /// way, so results stay comparable with earlier runs.
    /// </summary>
    public static ReadOnlySequence<byte> Split(byte[] data, int segmentBytes)
    {
        if (data.Length <= segmentBytes)
        {
            // Still two segments, so that even a short payload takes the multi-segment path.
            segmentBytes = Math.Max(1, data.Length / 2);
        }

        var first = new Segment(data.AsMemory(0, Math.Min(segmentBytes, data.Length)), 0);
        var last = first;
        for (var offset = segmentBytes; offset < data.Length; offset += segmentBytes)
        {
            last = last.Append(data.AsMemory(offset, Math.Min(segmentBytes, data.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
