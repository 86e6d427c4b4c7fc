using System.Buffers;
using System.Reflection;
using System.Text;
using CitySense.Contracts.Indicators;
using CitySense.Ingest;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Pipeline;
using CitySense.Ingest.Rejections;
using CitySense.Output;
using CitySense.Output.Writing;
using CitySense.UnitTests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using CitySense.Ingest.Settings;
using CitySense.Grains.Routing;

namespace CitySense.UnitTests.Pipeline;

/// <summary>
/// A silo whose grain calls keep failing (a restarted silo rejected by its own previous generation wrote a warning per
/// attempt and an error per batch: 7 459 warnings and 1 553 errors in 40 s) summarises: one retry warning and one
/// failed-batch error per interval, with the count of those not logged, and the error text without Orleans' whole message.
/// </summary>
public sealed class IngestWorkerLoggingTests
{
    [Fact]
    public async Task Repeated_retries_and_failed_batches_are_summarised()
    {
        var ingest = Options.Create(new IngestOptions());
        var rejections = new RejectionLog(ingest, TimeProvider.System, NullLogger<RejectionLog>.Instance, TestMeters.Factory);
        var decoder = new TelemetryDecoder(new AddressBook(new StringInterner()), rejections, ingest, TimeProvider.System);
        var pipeline = new IngestPipeline(decoder, new IngestStats(TestMeters.Factory), ingest);
        var routerLog = new ListLogger<HierarchyRouter>();
        var workerLog = new ListLogger<IngestWorker>();
        var router = new HierarchyRouter(FailingFactory.Create(), new NullSink(), Options.Create(new IndicatorOptions()), Options.Create(new InfluxOptions()),
            Options.Create(new RoutingOptions { ApplyRetryFor = TimeSpan.FromSeconds(1) }), Options.Create(new DeviceOptions()), routerLog);
        var worker = new IngestWorker(pipeline, router, new IngestStats(TestMeters.Factory), rejections, workerLog);

        await worker.StartAsync(CancellationToken.None);
        const long ts = 1_764_115_200_000;
        for (var i = 0; i < 3; i++)
        {
            // One batch at a time: each is retried for ApplyRetryFor (about 5 attempts), then fails.
            var submission = await pipeline.SubmitAsync("city/lg-d/lg-c/water/lg-w1", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes($$"""{"ts":{{ts + i}},"total":1}""")), null);
            await Assert.ThrowsAnyAsync<Exception>(() => submission.Applied.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        await pipeline.CompleteAndDrainAsync(CancellationToken.None);
        await worker.StopAsync(CancellationToken.None);

        // About 15 attempts over 3 batches: one warning (the interval is 10 s), one error (30 s).
        // The router retries and summarises its retries; the worker reports the batches that failed.
        var retries = routerLog.Entries.Where(e => e.Id == 202).ToList();
        var failures = workerLog.Entries.Where(e => e.Id == 200).ToList();
        Assert.Single(retries);
        Assert.Equal(LogLevel.Warning, retries[0].Level);
        Assert.Single(failures);
        Assert.Equal(LogLevel.Error, failures[0].Level);
        Assert.Contains("SiloUnavailableException: The target silo is no longer active: target was S127.0.0.1:11111:1", retries[0].Message);
        Assert.DoesNotContain("rejected message", retries[0].Message);
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, int Id, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }

    private sealed class NullSink : ILineSink
    {
        public void Write(ReadOnlySpan<byte> lines, int lineCount)
        {
        }
    }

    /// <summary>An IGrainFactory whose grains fail every call as a silo rejecting calls for its previous generation does.</summary>
    public class FailingFactory : DispatchProxy
    {
        public static IGrainFactory Create() => DispatchProxy.Create<IGrainFactory, FailingFactory>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            DispatchProxy.Create(targetMethod!.GetGenericArguments().Single(), typeof(FailingGrain));
    }

    public class FailingGrain : DispatchProxy
    {
        private static readonly MethodInfo FromException = typeof(Task).GetMethods().Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var error = new SiloUnavailableException(
                "The target silo is no longer active: target was S127.0.0.1:11111:1, but this silo is S127.0.0.1:11111:2. The rejected message is Request [...] with a long description.");
            var type = targetMethod!.ReturnType;
            return type.IsGenericType
                ? FromException.MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, [error])
                : Task.FromException(error);
        }
    }
}
