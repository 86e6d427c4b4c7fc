using System.Threading.Channels;
using CitySense.Contracts.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Streams;

namespace CitySense.Live;

/// <summary>
/// Publishes live updates on the Orleans memory streams of <see cref="LiveStreams"/>: each update goes to its own
/// area's stream and those of the areas around it. Runs behind its own bounded queue so that a slow stream never
/// delays SSE/WebSocket subscribers; events a stream queue refuses (full) are dropped and counted.
/// </summary>
public sealed partial class StreamPublisher : BackgroundService
{
    private const int MaxBatch = 4096;

    private readonly Channel<ILiveUpdate> _queue;
    private readonly IServiceProvider _services;
    private readonly LiveStats _stats;
    private readonly ILogger<StreamPublisher> _logger;
    private readonly bool _enabled;
    private readonly Dictionary<StreamId, object> _streams = [];
    private IStreamProvider? _provider;
    private volatile bool _siloStopping;

    public StreamPublisher(IOptions<LiveOptions> options, IServiceProvider services, LiveStats stats, ILogger<StreamPublisher> logger)
    {
        _enabled = options.Value.Streams;
        _queue = Channel.CreateBounded<ILiveUpdate>(new BoundedChannelOptions(Math.Max(1, options.Value.PublishQueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        _services = services;
        _stats = stats;
        _logger = logger;
    }

    /// <summary>Called by the pump only; never blocks.</summary>
    internal void Offer(IReadOnlyList<ILiveUpdate> updates)
    {
        if (!_enabled)
        {
            return;
        }

        foreach (var update in updates)
        {
            if (!_queue.Writer.TryWrite(update))
            {
                _stats.StreamDrop(StreamsOf(update).Count());
            }
        }
    }

    /// <summary>The streams an update goes to: its area's, its district's and the city's.</summary>
    public static IEnumerable<StreamId> StreamsOf(ILiveUpdate update)
    {
        switch (update)
        {
            case IndicatorUpdate u when u.Level == LiveLevels.Community:
                yield return LiveStreams.CommunityIndicatorsStream(u.District!, u.Community!);
                yield return LiveStreams.DistrictIndicatorsStream(u.District!);
                yield return LiveStreams.CityIndicatorsStream();
                break;
            case IndicatorUpdate u when u.Level == LiveLevels.District:
                yield return LiveStreams.DistrictIndicatorsStream(u.District!);
                yield return LiveStreams.CityIndicatorsStream();
                break;
            case IndicatorUpdate:
                yield return LiveStreams.CityIndicatorsStream();
                break;
            case AlarmUpdate a:
                yield return LiveStreams.CommunityAlarmsStream(a.Alarm.District, a.Alarm.Community);
                yield return LiveStreams.DistrictAlarmsStream(a.Alarm.District);
                yield return LiveStreams.CityAlarmsStream();
                break;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<ILiveUpdate>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var update))
                {
                    batch.Add(update);
                }

                await PublishAsync(batch).WaitAsync(stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping with Orleans: undelivered stream events are not kept.
        }
    }

    private async Task PublishAsync(List<ILiveUpdate> batch)
    {
        // One batch call per stream and round: memory streams take batches far faster than single events.
        var indicators = new Dictionary<StreamId, List<IndicatorUpdate>>();
        var alarms = new Dictionary<StreamId, List<AlarmUpdate>>();
        foreach (var update in batch)
        {
            foreach (var id in StreamsOf(update))
            {
                switch (update)
                {
                    case IndicatorUpdate u:
                        (indicators.TryGetValue(id, out var list) ? list : indicators[id] = []).Add(u);
                        break;
                    case AlarmUpdate a:
                        (alarms.TryGetValue(id, out var alarmList) ? alarmList : alarms[id] = []).Add(a);
                        break;
                }
            }
        }

        var sends = new List<Task>(indicators.Count + alarms.Count);
        sends.AddRange(indicators.Select(p => SendAsync(p.Key, p.Value)));
        sends.AddRange(alarms.Select(p => SendAsync(p.Key, p.Value)));
        await Task.WhenAll(sends);
    }

    /// <summary>
    /// The silo is leaving the cluster: its memory stream queues (grains) can no longer be placed, and each event
    /// offered now would cost a failed placement, Orleans' retries and their warnings. The events are counted as dropped
    /// instead; the streams' consumers on this silo are being deactivated too.
    /// </summary>
    public void StopPublishing() => _siloStopping = true;

    private async Task SendAsync<T>(StreamId id, List<T> events)
    {
        if (_siloStopping)
        {
            _stats.StreamDrop(events.Count);
            return;
        }

        try
        {
            await Stream<T>(id).OnNextBatchAsync(events);
            _stats.StreamEnqueued(events.Count);
        }
        catch (Exception ex)
        {
            _stats.StreamDrop(events.Count);
            if (!_siloStopping)
            {
                LogStreamRefused(id.ToString(), events.Count, ex.Message);
            }
        }
    }

    private IAsyncStream<T> Stream<T>(StreamId id)
    {
        if (_streams.TryGetValue(id, out var existing))
        {
            return (IAsyncStream<T>)existing;
        }

        // Resolved at first use: the provider exists once Orleans has started, after this service was built.
        _provider ??= _services.GetRequiredService<IClusterClient>().GetStreamProvider(LiveStreams.Provider);
        var stream = _provider.GetStream<T>(id);
        _streams[id] = stream;
        return stream;
    }

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Stream {Stream} refused {Count} live events: {Error}")]
    private partial void LogStreamRefused(string stream, int count, string error);
}
