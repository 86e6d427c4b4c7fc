using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Subscriptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace CitySense.Api.Ngsi.Subscriptions;

/// <summary>
/// This silo's half of NGSI-LD subscriptions (docs/sharing.md). Area grains hand it what changed
/// (<see cref="ISubscriptionChanges"/>: community grains their applied device updates and alarm workflow changes, every
/// area its indicators): a bounded queue, never waited on, so ingest does not slow down. Off that path
/// it renders each changed entity once, matches it against its copy of the subscriptions and sends each subscription's
/// matches, in order, to that subscription's grain, one call per subscription and round. A community is applied on one
/// silo, so each change is matched, and queued, once in the cluster, wherever the subscription's grain lives.
/// </summary>
public sealed partial class SubscriptionMatcher : BackgroundService, ISubscriptionChanges
{
    /// <summary>Updates waiting to be matched, in batches as community grains applied them.</summary>
    private const int QueueCapacity = 8192;

    private const int EnqueueAttempts = 5;

    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<SubscriptionWork> _queue =
        Channel.CreateBounded<SubscriptionWork>(new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<SubscriptionMatcher> _logger;
    private readonly Counter<long> _matched;
    private readonly Counter<long> _lost;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile SubscriptionIndex _index = SubscriptionIndex.Empty;
    private long _version = -1;

    public SubscriptionMatcher(IServiceProvider services, TimeProvider time, IMeterFactory meters, ILogger<SubscriptionMatcher> logger)
    {
        _services = services;
        _time = time;
        _logger = logger;
        var meter = meters.Create("CitySense.Subscriptions");
        _matched = meter.CreateCounter<long>("citysense.ngsi.changes_matched", "{entity}", "Entity changes that matched a subscription and were queued for it");
        _lost = meter.CreateCounter<long>("citysense.ngsi.changes_lost", "{entity}", "Entity changes lost before reaching a subscription's queue, by reason");
        meter.CreateObservableGauge("citysense.ngsi.subscriptions", () => _index.Count, "{subscription}", "Active subscriptions this silo matches against");
    }

    public bool Enabled => _index.Count > 0;

    public bool WantsAreas => _index.WantsAreas;

    public bool WantsAlarms => _index.WantsAlarms;

    public void DevicesChanged(string district, string community, IReadOnlyList<DeviceUpdate> updates) =>
        Offer(new SubscriptionWork(district, community, updates, null, null));

    public void AreaChanged(AreaSnapshot area) => Offer(new SubscriptionWork(string.Empty, string.Empty, null, area, null));

    public void AlarmChanged(AlarmRecord record) => Offer(new SubscriptionWork(record.Alarm.District, record.Alarm.Community, null, null, record));

    private void Offer(SubscriptionWork work)
    {
        try
        {
            if (!_queue.Writer.TryWrite(work))
            {
                _lost.Add(work.Changes, new KeyValuePair<string, object?>("reason", "matcher_overflow"));
            }
        }
        catch (Exception ex)
        {
            // The contract: never throw into the grain turn that applies readings.
            LogHookFailed(ex);
        }
    }

    /// <summary>
    /// The API changed a subscription: this silo reloads before the API answers, so a change applied on this silo after
    /// the answer is matched against it (other silos take it at their next poll, within a second).
    /// </summary>
    public async Task RefreshNowAsync()
    {
        try
        {
            await RefreshOnceAsync();
        }
        catch (Exception ex)
        {
            // The next poll tries again; the definition itself is stored.
            LogRefreshFailed(ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var refresh = RefreshLoopAsync(stoppingToken);
        try
        {
            await MatchLoopAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: changes not yet queued at a subscription are not delivered (docs/sharing.md).
        }

        await refresh;
    }

    private async Task RefreshLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshOnceAsync();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Orleans starting or a silo leaving: the next round tries again; the index in hand stays in use.
                LogRefreshFailed(ex.Message);
            }

            try
            {
                await Task.Delay(RefreshInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RefreshOnceAsync()
    {
        // One reload at a time: the API's and the poll's, so an older list never replaces a newer one.
        await _refreshing.WaitAsync();
        try
        {
            var grains = _services.GetRequiredService<IGrainFactory>();
            var registry = grains.GetGrain<ISubscriptionRegistryGrain>(ISubscriptionRegistryGrain.Key);
            var version = await registry.GetVersion();
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (version == _version && now < _index.EarliestExpiryMs)
            {
                return;
            }

            var specs = await registry.List();
            _index = new SubscriptionIndex(specs, now);
            if (_version == -1)
            {
                // After a restart: subscriptions with a stored queue resume delivering without waiting for a change.
                foreach (var spec in specs)
                {
                    _ = grains.GetGrain<ISubscriptionGrain>(spec.Id).GetStatus();
                }
            }

            _version = version;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task MatchLoopAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var outgoing = new Dictionary<string, List<EntityChange>>(StringComparer.Ordinal);
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            var index = _index;
            var taken = 0;
            while (taken < 256 && reader.TryRead(out var item))
            {
                taken++;
                if (item.Updates is { } updates)
                {
                    foreach (var update in updates)
                    {
                        Match(index, item.District, item.Community, update, outgoing);
                    }
                }
                else if (item.Area is { } area)
                {
                    // Area attributes carry their newest reading's time as observedAt; the change itself is now.
                    var entity = NgsiEntities.Area(area);
                    MatchEntity(index, (string)entity["id"]!, (string)entity["type"]!, () => entity.ToJsonString(), null, _time.GetUtcNow().ToUnixTimeMilliseconds(), outgoing);
                }
                else if (item.Alarm is { } record)
                {
                    MatchEntity(index, NgsiIds.Alert(record.Alarm.AlarmId), NgsiTypes.Alert,
                        () => NgsiEntities.Alert(record.Alarm, record.Status).ToJsonString(), null, record.Last.AtMs, outgoing);
                }
            }

            if (outgoing.Count == 0)
            {
                continue;
            }

            // One call per subscription and round, all rounds in order: a subscription's changes reach its grain in the
            // order they happened on this silo.
            var grains = _services.GetRequiredService<IGrainFactory>();
            await Task.WhenAll(outgoing.Select(p => EnqueueAsync(grains, p.Key, p.Value.ToArray(), stoppingToken)));
            outgoing.Clear();
        }
    }

    private void Match(SubscriptionIndex index, string district, string community, DeviceUpdate update, Dictionary<string, List<EntityChange>> outgoing)
    {
        // What changes an entity: an applied reading. Duplicates, late readings, rejections and an operator's release of a
        // held reading leave the device as it was.
        if (!update.CountsInWindow || update.IsRelease)
        {
            return;
        }

        foreach (var (id, type, render) in DeviceEntityAdapter.Changed(district, community, update))
        {
            MatchEntity(index, id, type, render, NgsiAttributes.Instant(update.TimestampMs), update.TimestampMs, outgoing);
        }
    }

    /// <param name="observedAt">When the change was observed, for watchedAttributes; null: any watched attribute the entity has counts.</param>
    private void MatchEntity(SubscriptionIndex index, string id, string type, Func<string> render, string? observedAt, long timestampMs, Dictionary<string, List<EntityChange>> outgoing)
    {
        if (!index.AnyFor(id))
        {
            return;
        }

        string? json = null;
        JsonDocument? document = null;
        try
        {
            foreach (var candidate in index.Candidates(id, type))
            {
                json ??= render();
                if (candidate.NeedsDocument)
                {
                    document ??= JsonDocument.Parse(json);
                    if (!candidate.Passes(document.RootElement, observedAt))
                    {
                        continue;
                    }
                }

                if (!outgoing.TryGetValue(candidate.Spec.Id, out var list))
                {
                    outgoing[candidate.Spec.Id] = list = [];
                }

                list.Add(new EntityChange(id, type, timestampMs, json));
                _matched.Add(1);
            }
        }
        finally
        {
            document?.Dispose();
        }
    }

    private async Task EnqueueAsync(IGrainFactory grains, string subscription, EntityChange[] changes, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grains.GetGrain<ISubscriptionGrain>(subscription).Enqueue(new Immutable<EntityChange[]>(changes));
                return;
            }
            catch (Exception ex) when (attempt < EnqueueAttempts && !stoppingToken.IsCancellationRequested)
            {
                // The subscription's silo is leaving or died: its grain comes back elsewhere. A call that did arrive before
                // the error is queued twice (at least once).
                LogEnqueueRetry(subscription, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200 << attempt), stoppingToken);
            }
            catch (Exception ex)
            {
                _lost.Add(changes.Length, new KeyValuePair<string, object?>("reason", "enqueue_failed"));
                LogEnqueueFailed(subscription, changes.Length, ex.Message);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "The subscription hook failed to take device updates")]
    private partial void LogHookFailed(Exception ex);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Subscriptions could not be reloaded: {Error}")]
    private partial void LogRefreshFailed(string error);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Queueing changes for subscription {Subscription} failed (attempt {Attempt}): {Error}")]
    private partial void LogEnqueueRetry(string subscription, int attempt, string error);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "{Count} changes for subscription {Subscription} were lost: {Error}")]
    private partial void LogEnqueueFailed(string subscription, int count, string error);
}
