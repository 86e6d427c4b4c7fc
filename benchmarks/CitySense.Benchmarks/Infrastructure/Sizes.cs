using CitySense.Benchmarks.LineProtocol;

namespace CitySense.Benchmarks.Infrastructure;

/// <summary>The sizes behind the per-operation figures: payload bytes per reading and line-protocol bytes per line.</summary>
public static class Sizes
{
    public static void Print(TextWriter output)
    {
        var city = MessageSets.City();
        var singles = MessageSets.Singles(city, 1000, PayloadLayout.SingleSegment);
        var gateways = MessageSets.Gateways(city, 10, 100, PayloadLayout.SingleSegment);
        output.WriteLine($"single-reading payload: {singles.Sum(m => m.Payload.Length) / (double)singles.Length:F1} bytes/reading (topic {singles.Average(m => m.Topic.Length):F1} chars)");
        output.WriteLine($"gateway payload (100 readings): {gateways.Sum(m => m.Payload.Length) / 1000.0:F1} bytes/reading, {gateways.Average(m => m.Payload.Length):F0} bytes/message");

        var bench = new LineProtocolBenchmarks();
        bench.Setup();
        output.WriteLine($"raw device point: {Bytes(bench, b => b.RawDevicePoints()):F1} bytes/line");
        output.WriteLine($"community window point: {Bytes(bench, b => b.CommunityWindowPoints()):F1} bytes/line");
        output.WriteLine($"AreaAggregate.WriteChangedWindows point: {Bytes(bench, b => b.AreaAggregateWriteChangedWindows()):F1} bytes/line");
        bench.Cleanup();
    }

    private static double Bytes(LineProtocolBenchmarks bench, Func<LineProtocolBenchmarks, int> write)
    {
        var count = write(bench);
        return bench.WrittenBytes / (double)count;
    }
}
