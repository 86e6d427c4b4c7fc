using System.Threading.Channels;
using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace CitySense.Live;

/// <summary>
/// Publishes live updates on the Orleans memory streams of <see cref="LiveStreams"/>: each update goes to its own
/// area's stream and those of the areas around it, if someone reads that stream (<see cref="StreamConsumers"/>). Each
/// round also goes to the scenario host in one call (<see cref="ScenarioFeed"/>). Runs behind its own bounded queue so
/// that a slow stream never delays SSE/WebSocket subscribers.
/// A memory stream's queue is a grain: while the silo holding it dies, every publish to it fails until the cluster
/// declares that silo dead and places the queue anew (seconds). Indicator events a stream refuses are dropped and counted
/// (the area's next update carries complete figures); alarm events are kept, in order per stream, and sent again with
/// a growing delay until the stream takes them, so no alarm is lost to a grain subscriber for an outage of the queue.
/// </summary>
public sealed partial class StreamPublisher : BackgroundService
{
    private const int MaxBatch = 4096;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private readonly Channel<ILiveUpdate> _queue;
    private readonly IServiceProvider _services;
    private readonly LiveStats _stats;
    private readonly ILogger<StreamPublisher> _logger;
    private readonly bool _streamsOn;
    private readonly bool _scenariosOn;
    private readonly bool _communityStreams;
    private readonly TimeSpan _interval;
    private readonly StreamConsumers _consumers;
    private readonly ScenarioFeed _scenarios;
    private IStreamSubscriptionManager? _subscriptions;
    private IScenarioHostGrain? _host;
    private long _hostOutageSinceTimestamp;
    private readonly Dictionary<StreamId, object> _streams = [];
    private IStreamProvider? _provider;
    private volatile bool _siloStopping;
    // Guards _siloStopping against a round starting its consumer lookups (_refreshing) while the silo stops.
    private readonly object _stopping = new();
    private Task _refreshing = Task.CompletedTask;
    // Alarm events a stream refused, per stream in their order, sent again before newer ones.
    private readonly KeptAlarms<StreamId> _pendingAlarms;
    private TimeSpan _retryDelay = FirstRetryDelay;
    private long _outageSinceTimestamp;

    public StreamPublisher(IOptions<LiveOptions> options, IOptions<ScenarioOptions> scenarios, IServiceProvider services, LiveStats stats, ILogger<StreamPublisher> logger)
    {
        _streamsOn = options.Value.Streams;
        _scenariosOn = scenarios.Value.Enabled;
        _communityStreams = options.Value.CommunityFanOut;
        _interval = options.Value.StreamInterval;
        _consumers = new StreamConsumers(HasExplicitConsumerAsync, options.Value.StreamConsumerCheck);
        _queue = Channel.CreateBounded<ILiveUpdate>(new BoundedChannelOptions(Math.Max(1, options.Value.PublishQueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        _pendingAlarms = new KeptAlarms<StreamId>(options.Value.PublishQueueCapacity);
        _scenarios = new ScenarioFeed(SendToHostAsync, stats, options.Value.PublishQueueCapacity);
        _services = services;
        _stats = stats;
        _logger = logger;
    }

    /// <summary>Updates waiting for the publisher's next round now.</summary>
    internal int Queued => _queue.Reader.Count;

    /// <summary>Called by the pump only; never blocks.</summary>
    internal void Offer(IReadOnlyList<ILiveUpdate> updates)
    {
        if (!_streamsOn && !_scenariosOn)
        {
            return;
        }

        foreach (var update in updates)
        {
            if (!_queue.Writer.TryWrite(update))
            {
                if (_streamsOn)
                {
                    _stats.StreamDrop(StreamsOf(update, community: _communityStreams).Count());
                }

                if (_scenariosOn)
                {
                    _stats.ScenarioDrop(1);
                }
            }
        }
    }

    /// <summary>
    /// The streams an update goes to: its area's (a community's only with <paramref name="community"/>), its district's
    /// and, with <paramref name="city"/>, the city's.
    /// </summary>
    public static IEnumerable<StreamId> StreamsOf(ILiveUpdate update, bool city = true, bool community = true)
    {
        switch (update)
        {
            case IndicatorUpdate u when u.Level == LiveLevels.Community:
                if (community) yield return LiveStreams.CommunityIndicatorsStream(u.District!, u.Community!);
                yield return LiveStreams.DistrictIndicatorsStream(u.District!);
                if (city) yield return LiveStreams.CityIndicatorsStream();
                break;
            case IndicatorUpdate u when u.Level == LiveLevels.District:
                yield return LiveStreams.DistrictIndicatorsStream(u.District!);
                if (city) yield return LiveStreams.CityIndicatorsStream();
                break;
            case IndicatorUpdate when city:
                yield return LiveStreams.CityIndicatorsStream();
                break;
            case AlarmUpdate a:
                if (community) yield return LiveStreams.CommunityAlarmsStream(a.Alarm.District, a.Alarm.Community);
                yield return LiveStreams.DistrictAlarmsStream(a.Alarm.District);
                if (city) yield return LiveStreams.CityAlarmsStream();
                break;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<ILiveUpdate>(MaxBatch);
        var lastRound = long.MinValue;
        try
        {
            while (true)
            {
                // Updates that come in before the interval ends go out in this round, one call per stream.
                if (lastRound != long.MinValue && _interval > TimeSpan.Zero && System.Diagnostics.Stopwatch.GetElapsedTime(lastRound) is var since && since < _interval)
                {
                    await Task.Delay(_interval - since, stoppingToken);
                }

                if (_pendingAlarms.Count == 0 && !_scenarios.HasPending)
                {
                    if (!await reader.WaitToReadAsync(stoppingToken))
                    {
                        break;
                    }
                }
                else
                {
                    // Refused alarm events wait: new events gather meanwhile and go after them.
                    await Task.Delay(_retryDelay, stoppingToken);
                    _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
                }

                while (batch.Count < MaxBatch && reader.TryRead(out var update))
                {
                    batch.Add(update);
                }

                lastRound = System.Diagnostics.Stopwatch.GetTimestamp();
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
        // The scenario host's call and the streams' calls go out together.
        var host = _scenariosOn ? FeedHostAsync(batch) : Task.CompletedTask;
        if (_streamsOn)
        {
            await PublishStreamsAsync(batch);
        }

        await host;
    }

    private async Task FeedHostAsync(List<ILiveUpdate> batch)
    {
        if (_siloStopping)
        {
            // As for the streams: the host may have to be placed anew, which a leaving silo can no longer do.
            _stats.ScenarioDrop(batch.Count);
            _scenarios.Abandon();
            return;
        }

        var error = await _scenarios.SendAsync(batch);
        if (error is not null && _hostOutageSinceTimestamp == 0 && !_siloStopping)
        {
            // Once per outage: while the host's silo dies, every round fails alike.
            _hostOutageSinceTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
            LogHostRefused(batch.Count, error.Message);
        }
        else if (error is null && _hostOutageSinceTimestamp != 0)
        {
            LogHostBack(System.Diagnostics.Stopwatch.GetElapsedTime(_hostOutageSinceTimestamp).TotalSeconds);
            _hostOutageSinceTimestamp = 0;
        }
    }

    private Task SendToHostAsync(ILiveUpdate[] updates)
    {
        // Resolved at first use, like the stream provider: the client exists once Orleans has started.
        _host ??= _services.GetRequiredService<IClusterClient>().GetGrain<IScenarioHostGrain>(IScenarioHostGrain.Key);
        return _host.Take(new Immutable<ILiveUpdate[]>(updates));
    }

    private async Task PublishStreamsAsync(List<ILiveUpdate> batch)
    {
        // One batch call per stream and round: memory streams take batches far faster than single events.
        var indicators = new Dictionary<StreamId, List<IndicatorUpdate>>();
        var alarms = new Dictionary<StreamId, List<AlarmUpdate>>();
        foreach (var update in batch)
        {
            foreach (var id in StreamsOf(update, community: _communityStreams))
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

        foreach (var (id, pending) in _pendingAlarms.TakeAll())
        {
            if (alarms.TryGetValue(id, out var fresh))
            {
                pending.AddRange(fresh);
            }

            alarms[id] = pending;
        }

        // Streams nobody reads are not published (StreamConsumers): counted, not dropped.
        // Not asked once the silo is leaving: pubsub grains can no longer be placed, and every event is dropped anyway.
        Task refresh;
        lock (_stopping)
        {
            refresh = _refreshing = _siloStopping ? Task.CompletedTask : _consumers.RefreshAsync([.. indicators.Keys, .. alarms.Keys]);
        }

        await refresh;
        var unread = 0;
        foreach (var id in indicators.Keys.Where(id => !_consumers.IsConsumed(id)).ToList())
        {
            unread += indicators[id].Count;
            indicators.Remove(id);
        }

        foreach (var id in alarms.Keys.Where(id => !_consumers.IsConsumed(id)).ToList())
        {
            unread += alarms[id].Count;
            alarms.Remove(id);
        }

        _stats.NotConsumed(unread);
        _stats.StreamRound(indicators.Count + alarms.Count);
        var sends = new List<Task<bool>>(indicators.Count + alarms.Count);
        sends.AddRange(indicators.Select(p => SendAsync(p.Key, p.Value)));
        var alarmStreams = alarms.ToArray();
        sends.AddRange(alarmStreams.Select(p => SendAsync(p.Key, p.Value)));
        var sent = await Task.WhenAll(sends);
        for (var i = 0; i < alarmStreams.Length; i++)
        {
            if (!sent[indicators.Count + i] && !_siloStopping)
            {
                _pendingAlarms.Keep(alarmStreams[i].Key, alarmStreams[i].Value);
            }
        }

        _stats.StreamDrop(_pendingAlarms.Trim());
        if (_pendingAlarms.Count == 0)
        {
            _retryDelay = FirstRetryDelay;
            if (_outageSinceTimestamp != 0 && sent.All(s => s))
            {
                LogStreamsBack(System.Diagnostics.Stopwatch.GetElapsedTime(_outageSinceTimestamp).TotalSeconds);
                _outageSinceTimestamp = 0;
            }
        }
    }

    /// <summary>
    /// The silo is leaving the cluster: its memory stream queues (grains) can no longer be placed, and each event
    /// offered now would cost a failed placement, Orleans' retries and their warnings. The events are counted as dropped
    /// instead; the streams' consumers on this silo are being deactivated too.
    /// </summary>
    /// <remarks>
    /// Waits (up to 5 s) for the consumer lookups of a round in progress: a pubsub grain they place once the silo is no
    /// longer active fails to be placed, with Orleans' warnings in the log of a clean stop.
    /// </remarks>
    public async Task StopPublishingAsync()
    {
        Task refresh;
        lock (_stopping)
        {
            _siloStopping = true;
            refresh = _refreshing;
        }

        try
        {
            await refresh.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // A lookup that failed or hangs answers "consumed" (StreamConsumers); the stop goes on.
        }
    }

    /// <summary>False when the stream refused the events: indicator events are then dropped (counted), alarm events kept by the caller.</summary>
    private async Task<bool> SendAsync<T>(StreamId id, List<T> events)
    {
        if (_siloStopping)
        {
            _stats.StreamDrop(events.Count);
            return true;
        }

        try
        {
            await Stream<T>(id).OnNextBatchAsync(events);
            _stats.StreamEnqueued(events.Count);
            return true;
        }
        catch (Exception ex)
        {
            var alarms = typeof(T) == typeof(AlarmUpdate);
            if (!alarms)
            {
                _stats.StreamDrop(events.Count);
            }

            // Once per outage: while a queue's silo dies, every round fails alike.
            if (!_siloStopping && _outageSinceTimestamp == 0)
            {
                _outageSinceTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
                LogStreamRefused(id.ToString(), events.Count, ex.Message);
            }

            return false;
        }
    }

    /// <summary>Whether a grain or client subscribed to the stream (Orleans' pubsub: the explicit subscriptions).</summary>
    private async Task<bool> HasExplicitConsumerAsync(StreamId id)
    {
        _subscriptions ??= _services.GetRequiredService<IStreamSubscriptionManagerAdmin>()
            .GetStreamSubscriptionManager(StreamSubscriptionManagerType.ExplicitSubscribeOnly);
        return (await _subscriptions.GetSubscriptions(LiveStreams.Provider, id)).Any();
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

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning,
        Message = "Stream {Stream} refused {Count} live events: {Error}. Alarm events are kept and sent again until the streams take them; refused indicator events are dropped and counted")]
    private partial void LogStreamRefused(string stream, int count, string error);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "Live streams take events again after {Seconds:0.0} s; kept alarm events sent")]
    private partial void LogStreamsBack(double seconds);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning,
        Message = "The scenario host did not take a round of {Count} live updates: {Error}. Its alarm events are kept and sent again with the next rounds; the indicator updates are dropped and counted")]
    private partial void LogHostRefused(int count, string error);

    [LoggerMessage(EventId = 607, Level = LogLevel.Information, Message = "The scenario host takes live updates again after {Seconds:0.0} s; kept alarm events sent")]
    private partial void LogHostBack(double seconds);
}
