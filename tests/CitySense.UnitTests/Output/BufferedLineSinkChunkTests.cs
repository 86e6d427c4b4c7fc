using System.Runtime.InteropServices;
using CitySense.Output.Writing;
using CitySense.UnitTests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CitySense.UnitTests.Output;

/// <summary>
/// The sink's memory chunks are its own to reuse: lines written after a write has settled go into the chunks that write
/// gave back, not into new arrays that would die in gen2 at the next write (benchmarks/RESULTS.md §61).
/// </summary>
public sealed class BufferedLineSinkChunkTests
{
    [Fact]
    public async Task Lines_written_after_a_write_settled_go_into_the_chunks_it_gave_back()
    {
        var writer = new RecordingWriter();
        var sink = new BufferedLineSink(writer, Options.Create(new InfluxOptions { MaxSpillBytes = 0, BatchBytes = 256 * 1024 }),
            TimeProvider.System, NullLogger<BufferedLineSink>.Instance, TestMeters.Factory);
        var line = new byte[1000];
        line.AsSpan().Fill((byte)'a');
        line[^1] = (byte)'\n';
        await sink.StartAsync(CancellationToken.None);
        try
        {
            // Four megabytes while the destination holds the first write: 62 chunks of 64 KB, none given back yet.
            for (var i = 0; i < 4000; i++)
            {
                sink.Write(line, 1);
            }

            writer.Open();
            await writer.WaitForAsync(4000 * line.Length);
            var first = writer.Arrays();
            Assert.True(first.Count >= 60, $"{first.Count} chunks for four megabytes");

            // Then 2.5 MB at once, about 39 chunks: every one of them among those the first writes gave back. (The shared
            // array pool, which the sink used before, keeps a few arrays per core: most of these would be new.)
            for (var i = 0; i < 2500; i++)
            {
                sink.Write(line, 1);
            }

            await writer.WaitForAsync(6500 * line.Length);
            var second = writer.Arrays().Except(first, ReferenceEqualityComparer.Instance).ToList();
            Assert.Empty(second);
            Assert.Equal(6500, sink.Status.LinesWritten);
        }
        finally
        {
            await sink.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Records the arrays behind every chunk it is given, and the bytes.</summary>
    private sealed class RecordingWriter : ILineWriter
    {
        private readonly Lock _lock = new();
        private readonly HashSet<byte[]> _arrays = new(ReferenceEqualityComparer.Instance);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _bytes;

        public string Destination => "recording";

        /// <summary>Lets writes through; until then the first one waits (a slow destination).</summary>
        public void Open() => _open.TrySetResult();

        public async Task WriteAsync(IReadOnlyList<ReadOnlyMemory<byte>> chunks, int totalBytes, CancellationToken cancellationToken)
        {
            await _open.Task.WaitAsync(cancellationToken);
            lock (_lock)
            {
                foreach (var chunk in chunks)
                {
                    Assert.True(MemoryMarshal.TryGetArray(chunk, out var segment));
                    _arrays.Add(segment.Array!);
                }

                _bytes += totalBytes;
            }
        }

        public HashSet<byte[]> Arrays()
        {
            lock (_lock)
            {
                return new HashSet<byte[]>(_arrays, ReferenceEqualityComparer.Instance);
            }
        }

        public async Task WaitForAsync(long bytes)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Interlocked.Read(ref _bytes) < bytes)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{Interlocked.Read(ref _bytes)} of {bytes} bytes written");
                await Task.Delay(20);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
