using System.Buffers;
using System.Text;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Batches;

namespace CitySense.Benchmarks.Infrastructure;

/// <summary>
/// Pins down where the decoder allocates on multi-segment payloads: one reading decoded many times with the segment
/// boundary placed at every byte offset in turn, printing the bytes allocated per decode for each placement.
/// `dotnet run -c Release --project benchmarks/CitySense.Benchmarks -- boundaries`
/// </summary>
public static class BoundaryProbe
{
    private const int Decodes = 1000;

    public static void Print(TextWriter output)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var payload = Encoding.UTF8.GetBytes($$"""{"ts":{{now}},"seq":720,"total":1523.417,"flow":0.734,"pressure":0.312}""");
        const string topic = "city/district-1/c1-01/water/water-c1-01-0001";
        var decoder = DecoderFactory.Create();
        var batch = new ReadingBatch();
        // Grow the batch's arrays to their size for this many decodes first: growth is not the decoder's allocation.
        var whole = new ReadOnlySequence<byte>(payload);
        for (var i = 0; i < Decodes; i++)
        {
            decoder.Decode(topic, whole, batch);
        }

        ReadingBatchAccess.Reset(batch);
        output.WriteLine($"payload ({payload.Length} bytes): {Encoding.UTF8.GetString(payload)}");
        output.WriteLine("boundary after byte | bytes allocated per decode | accepted | split token");
        for (var cut = 1; cut < payload.Length; cut++)
        {
            var sequence = TwoSegments(payload, cut);
            var result = decoder.Decode(topic, sequence, batch);
            ReadingBatchAccess.Reset(batch);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Decodes; i++)
            {
                decoder.Decode(topic, sequence, batch);
            }

            var perDecode = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Decodes;
            ReadingBatchAccess.Reset(batch);
            if (perDecode > 0 || result.Accepted != 1)
            {
                output.WriteLine($"{cut,19} | {perDecode,26:F1} | {result.Accepted,8} | ...{Encoding.UTF8.GetString(payload, Math.Max(0, cut - 8), Math.Min(8, cut))}|{Encoding.UTF8.GetString(payload, cut, Math.Min(8, payload.Length - cut))}...");
            }
        }

        output.WriteLine("(placements not listed allocate nothing and are accepted)");
    }

    private static ReadOnlySequence<byte> TwoSegments(byte[] payload, int cut)
    {
        var first = new Segment(payload.AsMemory(0, cut));
        var second = first.Append(payload.AsMemory(cut));
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
