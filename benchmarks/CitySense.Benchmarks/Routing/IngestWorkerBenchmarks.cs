using BenchmarkDotNet.Attributes;
using CitySense.Benchmarks.Infrastructure;
using CitySense.Contracts.Indicators;
using CitySense.Ingest;
using CitySense.Ingest.Pipeline;
using CitySense.Output;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using CitySense.Ingest.Settings;
using CitySense.Output.Writing;
using CitySense.Grains.Routing;

namespace CitySense.Benchmarks.Routing;

/// <summary>
/// The ingest path without MQTT and without Orleans: messages submitted to the real IngestPipeline (decode into the
/// open batch, backpressure) and applied by the real IngestWorker and HierarchyRouter (group per device and per shard, DeviceReading
/// arrays, shard calls, group updates per community, district and city, IndicatorBatch arrays) against in-process fake grains
/// (<see cref="FakeGrainFactory"/>). One operation per reading. The worker runs on its own thread pool thread, as in
/// the silo, and takes whatever the open batch holds when it is idle, so batch sizes follow the load as they do in
/// production. Compare with DecodeBenchmarks in the same run: the difference is the pipeline and the worker.
/// Resubmitting the same messages means event times repeat: registers move only in the first invocation.
/// </summary>
[MemoryDiagnoser]
public class IngestWorkerBenchmarks
{
    private const int SingleMessages = 8192;
    private const int GatewayMessages = 82;
    private const int GatewaySize = 100;

    private IngestPipeline _pipeline = null!;
    private IngestWorker _worker = null!;
    private TelemetryMessage[] _singles = [];
    private TelemetryMessage[] _gateways = [];

    [GlobalSetup]
    public void Setup()
    {
        var city = MessageSets.City();
        // No batch delay: it is idle time, and this measures what the worker spends per reading.
        var ingest = Options.Create(new IngestOptions { BatchDelay = TimeSpan.Zero });
        var stats = new IngestStats(DecoderFactory.MeterFactory);
        _pipeline = new IngestPipeline(DecoderFactory.Create(), stats, ingest);
        var indicators = new IndicatorOptions();
        var rejections = new CitySense.Ingest.Rejections.RejectionLog(ingest, TimeProvider.System, NullLogger<CitySense.Ingest.Rejections.RejectionLog>.Instance, DecoderFactory.MeterFactory);
        var router = new HierarchyRouter(new FakeGrainFactory(indicators), new NullLineSink(), Options.Create(indicators), Options.Create(new InfluxOptions()),
            Options.Create(new RoutingOptions()), Options.Create(new DeviceOptions()), NullLogger<HierarchyRouter>.Instance);
        _worker = new IngestWorker(_pipeline, router, stats, rejections, NullLogger<IngestWorker>.Instance);
        _worker.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _singles = MessageSets.Singles(city, SingleMessages, PayloadLayout.SingleSegment);
        _gateways = MessageSets.Gateways(city, GatewayMessages, GatewaySize, PayloadLayout.SingleSegment);

        SingleReadingMessages().GetAwaiter().GetResult();
        GatewayMessagesOf100().GetAwaiter().GetResult();
        if (stats.ReadingsApplied != SingleMessages + GatewayMessages * GatewaySize || stats.FailedBatches != 0)
        {
            throw new InvalidOperationException($"The worker applied {stats.ReadingsApplied} readings ({stats.FailedBatches} failed batches).");
        }
    }

    [Benchmark(OperationsPerInvoke = SingleMessages)]
    public Task SingleReadingMessages() => SubmitAll(_singles);

    [Benchmark(OperationsPerInvoke = GatewayMessages * GatewaySize)]
    public Task GatewayMessagesOf100() => SubmitAll(_gateways);

    [GlobalCleanup]
    public void Cleanup() => _worker.StopAsync(CancellationToken.None).GetAwaiter().GetResult();

    private async Task SubmitAll(TelemetryMessage[] messages)
    {
        var applied = Task.CompletedTask;
        foreach (var message in messages)
        {
            applied = (await _pipeline.SubmitAsync(message.Topic, message.Payload, clientId: null)).Applied;
        }

        // Batches are applied in order, so the last message's batch completes last.
        await applied;
    }
}
