using System.Text;
using CitySense.Output.Writing;

namespace CitySense.UnitTests.Output;

public sealed class SpillQueueTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("citysense-spill-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Spilled_lines_come_back_in_the_order_they_went_in_and_survive_a_restart()
    {
        var queue = new SpillQueue(_folder, maxBytes: 1 << 20);
        for (var i = 0; i < 100; i++)
        {
            queue.Append(Encoding.UTF8.GetBytes($"m v={i} {i}\n"), 1);
        }

        var first = queue.Peek(maxBytes: 40)!.Value;
        queue.Commit(first.Bytes, first.Lines);

        // A restart finds the segments again; what was committed is gone only once its segment is.
        var reopened = new SpillQueue(_folder, maxBytes: 1 << 20);
        var read = new List<string>();
        while (reopened.Peek(maxBytes: 64) is { } slice)
        {
            read.AddRange(Encoding.UTF8.GetString(slice.Buffer, 0, slice.Bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            reopened.Commit(slice.Bytes, slice.Lines);
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m v={i} {i}"), read);
        Assert.True(reopened.IsEmpty);
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.Equal((0L, 0L), (reopened.Bytes, reopened.Lines));
    }

    [Fact]
    public void Past_its_disk_cap_the_oldest_segments_are_dropped_and_counted()
    {
        // 4 MiB segments: a 6 MiB cap holds one full segment and the one being filled.
        var queue = new SpillQueue(_folder, maxBytes: 6L * 1024 * 1024);
        var line = Encoding.UTF8.GetBytes(new string('x', 1023) + "\n");
        long dropped = 0;
        for (var i = 0; i < 10 * 1024; i++)
        {
            dropped += queue.Append(line, 1);
        }

        Assert.True(queue.Bytes <= 6L * 1024 * 1024, $"{queue.Bytes} bytes kept");
        Assert.Equal(10 * 1024, dropped + queue.Lines);
        Assert.True(dropped > 0);
    }
}
