using BenchmarkDotNet.Attributes;
using CitySense.Benchmarks.Infrastructure;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Batches;

namespace CitySense.Benchmarks.Decoding;

/// <summary>
/// TelemetryDecoder.Decode from topic + payload sequence into a reused ReadingBatch, one operation per reading:
/// Op/s is readings/s and Allocated is bytes per reading. Every device is already known (its address and metric names
/// interned in GlobalSetup), which is the steady state of a running city; the batch is reset after each invocation
/// as the ingest worker does, so the per-batch reset (a new completion source) is amortized over 1000 readings.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private const int ReadingsPerInvoke = 1000;
    private const int GatewaySize = 100;

    private readonly ReadingBatch _batch = new();
    private TelemetryDecoder _decoder = null!;
    private TelemetryMessage[] _singles = [];
    private TelemetryMessage[] _gateways = [];

    [Params(PayloadLayout.SingleSegment, PayloadLayout.MultiSegment64)]
    public PayloadLayout Layout { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var city = MessageSets.City();
        _decoder = DecoderFactory.Create();
        _singles = MessageSets.Singles(city, ReadingsPerInvoke, Layout);
        _gateways = MessageSets.Gateways(city, ReadingsPerInvoke / GatewaySize, GatewaySize, Layout);

        // Warm the address book and interner, and refuse to measure a rejection path by accident.
        Check(SingleReadingMessages());
        Check(GatewayMessagesOf100());
    }

    [Benchmark(OperationsPerInvoke = ReadingsPerInvoke)]
    public int SingleReadingMessages()
    {
        var accepted = 0;
        foreach (var message in _singles)
        {
            accepted += _decoder.Decode(message.Topic, message.Payload, _batch).Accepted;
        }

        ReadingBatchAccess.Reset(_batch);
        return accepted;
    }

    [Benchmark(OperationsPerInvoke = ReadingsPerInvoke)]
    public int GatewayMessagesOf100()
    {
        var accepted = 0;
        foreach (var message in _gateways)
        {
            accepted += _decoder.Decode(message.Topic, message.Payload, _batch).Accepted;
        }

        ReadingBatchAccess.Reset(_batch);
        return accepted;
    }

    private static void Check(int accepted)
    {
        if (accepted != ReadingsPerInvoke)
        {
            throw new InvalidOperationException($"The decoder accepted {accepted} of {ReadingsPerInvoke} readings: the payload set is not valid telemetry.");
        }
    }
}
