using System.Text;
using CitySense.Output.Writing;

namespace CitySense.GrainTests;

/// <summary>Keeps what grains write, as text lines, shared by every silo of the test cluster.</summary>
public sealed class RecordingLineSink : ILineSink
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public void Write(ReadOnlySpan<byte> lines, int lineCount)
    {
        var text = Encoding.UTF8.GetString(lines);
        lock (_lines)
        {
            _lines.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }
}
