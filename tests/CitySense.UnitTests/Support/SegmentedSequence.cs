using System.Buffers;

namespace CitySense.UnitTests.Support;

/// <summary>
/// Builds the multi-segment payloads MQTTnet hands over when a message spans several receive buffers.
/// Every segment is a copy in its own array, so a parser that reads past a segment's end cannot get lucky.
/// </summary>
internal static class SegmentedSequence
{
    /// <summary>The bytes cut at the given ascending offsets (0 and bytes.Length give empty segments, which are legal).</summary>
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
