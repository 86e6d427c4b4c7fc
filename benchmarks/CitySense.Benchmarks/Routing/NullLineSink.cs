using CitySense.Output.Writing;

namespace CitySense.Benchmarks.Routing;

/// <summary>Drops line protocol: the sink's buffering is not what the routing suite measures.</summary>
public sealed class NullLineSink : ILineSink
{
    public void Write(ReadOnlySpan<byte> lines, int lineCount)
    {
    }
}
