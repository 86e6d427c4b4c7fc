using System.Buffers;

namespace CitySense.Benchmarks.Infrastructure;

/// <summary>
/// Cuts a payload into a multi-segment <see cref="ReadOnlySequence{T}"/>, as a pipe or a socket reader can hand it
/// over: the decoder must then read tokens that straddle segment boundaries.
/// </summary>
public static class SegmentedSequence
{
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
