namespace CitySense.Output.Writing;

/// <summary>Accepts line protocol for the time-series server. Never blocks and never throws: ingestion goes on whatever the server does.</summary>
public interface ILineSink
{
    /// <summary>Copies complete lines (each ending in '\n') into the sink's bounded buffer.</summary>
    void Write(ReadOnlySpan<byte> lines, int lineCount);
}
