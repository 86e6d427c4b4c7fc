using CitySense.Contracts.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Subscriptions;

/// <summary>
/// Delivers one subscription (docs/sharing.md): its queue of matched entity changes goes out as notifications, one at a
/// time and in order; a failed one is retried, the same notification, after a growing wait, and nothing behind it goes
/// first. The queue and status are stored every Subscriptions:PersistInterval while they change, and at deactivation.
/// Reentrant so that enqueueing never waits behind an HTTP attempt; one pump runs at a time (<see cref="_pumping"/>).
/// </summary>
[Reentrant]
public sealed partial class SubscriptionGrain(
    [PersistentState("subscription", SubscriptionStorage.Name)] IPersistentState<SubscriptionState> store,
    IOptions<SubscriptionOptions> options,
    NotificationSender sender,
    SubscriptionMetrics metrics,
    TimeProvider time,
    ILogger<SubscriptionGrain> logger) : Grain, ISubscriptionGrain
{
    private readonly SubscriptionOptions _options = options.Value;
    private readonly DeliveryQueue _queue = new(options.Value.QueueBound);
    private SubscriptionSpec? _spec;
    private SubscriptionStatus _status = SubscriptionStatus.Empty;
    private long _notificationCount;
    private long _retryAtMs = long.MinValue;
    private bool _pumping;
    private bool _dirty;
    private bool _writing;
    private long _writtenAtMs;
    private int _countedPending;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var state = store.State;
        _spec = state.Spec;
        _status = state.Status;
        _notificationCount = state.NotificationCount;
        _queue.Restore(state.Pending, state.InFlight, state.InFlightId, state.InFlightNotifiedAtMs);
        SyncPending();
        // Alive for as long as the subscription exists: it retries on its own, with or without new changes.
        this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(_options.PumpInterval, _options.PumpInterval) { KeepAlive = true, Interleave = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty && _spec is not null)
        {
            await PersistAsync();
        }

        metrics.PendingChanged(-_countedPending);
        _countedPending = 0;
    }

    public async Task Configure(SubscriptionSpec? spec)
    {
        _spec = spec;
        if (spec is null)
        {
            _queue.Clear();
            SyncPending();
            await store.ClearStateAsync();
            DeactivateOnIdle();
            return;
        }

        await PersistAsync();
        _ = PumpAsync();
    }

    public async Task Enqueue(Immutable<EntityChange[]> changes)
    {
        if (_spec is null && !store.RecordExists)
        {
            // The registry stored the subscription but could not tell this grain (a failure in between): it asks. Not at
            // activation: the registry's own Configure call activates this grain, and would wait for itself.
            _spec = await GrainFactory.GetGrain<ISubscriptionRegistryGrain>(ISubscriptionRegistryGrain.Key).Get(this.GetPrimaryKeyString());
        }

        if (_spec is null || !_spec.IsActive || _spec.ExpiredAt(time.GetUtcNow().ToUnixTimeMilliseconds()))
        {
            return;
        }

        var dropped = _queue.Add(changes.Value);
        if (dropped > 0)
        {
            _status = _status with { Dropped = _status.Dropped + dropped };
            metrics.Dropped(dropped, "queue_bound");
        }

        SyncPending();
        _dirty = true;
        // Not awaited: the caller (a silo's matcher) must not wait for the endpoint.
        _ = PumpAsync();
    }

    public Task<SubscriptionStatus> GetStatus() => Task.FromResult(_status with { Pending = _queue.Count });

    private async Task Tick(CancellationToken cancellationToken)
    {
        await PumpAsync();
        if (_dirty && _spec is not null && time.GetUtcNow().ToUnixTimeMilliseconds() - _writtenAtMs >= _options.PersistInterval.TotalMilliseconds)
        {
            await PersistAsync();
        }
    }

    private async Task PumpAsync()
    {
        if (_pumping)
        {
            return;
        }

        _pumping = true;
        try
        {
            while (_spec is { IsActive: true } spec && _queue.Count > 0)
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                if (spec.ExpiredAt(now) || now < _retryAtMs || now < Throttle.NextAllowedMs(_status.LastNotificationMs, spec.ThrottlingS))
                {
                    return;
                }

                var batch = _queue.Next(_options.MaxBatch, NewNotificationId, now);
                var retry = _queue.InFlightAttempts > 1;
                var body = NotificationBody.Build(spec, _queue.InFlightId!, _queue.InFlightNotifiedAtMs, batch);
                var error = await sender.SendAsync(spec.EndpointUri, spec.Accept, NotificationBody.IsLd(spec.Accept) ? null : spec.Context ?? NotificationBody.CoreContext, body);
                now = time.GetUtcNow().ToUnixTimeMilliseconds();
                _dirty = true;
                if (_spec is null)
                {
                    // Deleted while the attempt was out.
                    return;
                }

                if (error is null)
                {
                    var sent = _queue.Complete();
                    SyncPending();
                    _status = _status with
                    {
                        TimesSent = _status.TimesSent + 1,
                        EntitiesSent = _status.EntitiesSent + sent,
                        LastNotificationMs = now,
                        LastSuccessMs = now,
                        ConsecutiveErrors = 0,
                    };
                    _retryAtMs = long.MinValue;
                    metrics.Sent(sent);
                    if (retry)
                    {
                        metrics.Retried();
                    }
                }
                else
                {
                    var errors = _status.ConsecutiveErrors + 1;
                    _status = _status with
                    {
                        TimesFailed = _status.TimesFailed + 1,
                        LastNotificationMs = now,
                        LastFailureMs = now,
                        ConsecutiveErrors = errors,
                        LastError = error,
                    };
                    _retryAtMs = now + (long)RetryBackoff.Delay(errors, _options.RetryMin, _options.RetryMax, Random.Shared.NextDouble()).TotalMilliseconds;
                    metrics.Failed(retry);
                    if (errors == 1)
                    {
                        LogDeliveryFailing(this.GetPrimaryKeyString(), spec.EndpointUri, error);
                    }

                    return;
                }
            }
        }
        finally
        {
            _pumping = false;
        }
    }

    private string NewNotificationId()
    {
        _notificationCount++;
        var id = this.GetPrimaryKeyString();
        var local = id.StartsWith("urn:ngsi-ld:Subscription:", StringComparison.Ordinal) ? id["urn:ngsi-ld:Subscription:".Length..] : Uri.EscapeDataString(id);
        return $"urn:ngsi-ld:Notification:{local}:{_notificationCount.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private void SyncPending()
    {
        var count = _queue.Count;
        metrics.PendingChanged(count - _countedPending);
        _countedPending = count;
    }

    private async Task PersistAsync()
    {
        if (_writing || _spec is null)
        {
            return;
        }

        _writing = true;
        try
        {
            _dirty = false;
            _writtenAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            var state = store.State;
            state.Spec = _spec;
            state.Status = _status with { Pending = _queue.Count };
            state.Pending = _queue.ToArray();
            state.InFlight = _queue.InFlight;
            state.InFlightId = _queue.InFlightId;
            state.InFlightNotifiedAtMs = _queue.InFlightNotifiedAtMs;
            state.NotificationCount = _notificationCount;
            await store.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // Tried again at the next tick: the queue is still in memory.
            _dirty = true;
            LogPersistFailed(ex, this.GetPrimaryKeyString());
        }
        finally
        {
            _writing = false;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Subscription {Subscription}: notifications to {Endpoint} fail ({Error}); retrying with backoff")]
    private partial void LogDeliveryFailing(string subscription, string endpoint, string error);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Subscription {Subscription}: its queue could not be stored")]
    private partial void LogPersistFailed(Exception ex, string subscription);
}
