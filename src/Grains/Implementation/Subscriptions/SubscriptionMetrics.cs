using System.Diagnostics.Metrics;

namespace CitySense.Grains.Subscriptions;

/// <summary>
/// Delivery counters of this silo's subscriptions, summed over them (no subscription label: thousands of subscriptions
/// would be thousands of series; each one's own figures are in its status). Scraped at /metrics.
/// </summary>
public sealed class SubscriptionMetrics
{
    public const string MeterName = "CitySense.Subscriptions";

    private readonly Counter<long> _sent;
    private readonly Counter<long> _entitiesSent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _dropped;
    private long _pending;

    public SubscriptionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _sent = meter.CreateCounter<long>("citysense.ngsi.notifications_sent", "{notification}", "Notifications an endpoint accepted (2xx)");
        _entitiesSent = meter.CreateCounter<long>("citysense.ngsi.entities_sent", "{entity}", "Entity changes delivered in notifications");
        _failed = meter.CreateCounter<long>("citysense.ngsi.attempts_failed", "{attempt}", "Notification attempts that failed (refused, timed out, non-2xx)");
        _retries = meter.CreateCounter<long>("citysense.ngsi.retries", "{attempt}", "Attempts that repeated a notification that had failed");
        _dropped = meter.CreateCounter<long>("citysense.ngsi.changes_dropped", "{entity}", "Entity changes dropped before delivery, by reason");
        meter.CreateObservableGauge("citysense.ngsi.pending", () => Interlocked.Read(ref _pending), "{entity}", "Entity changes queued for delivery on this silo");
    }

    public void Sent(int entities)
    {
        _sent.Add(1);
        _entitiesSent.Add(entities);
    }

    public void Failed(bool retry)
    {
        _failed.Add(1);
        if (retry)
        {
            _retries.Add(1);
        }
    }

    public void Retried() => _retries.Add(1);

    public void Dropped(long count, string reason)
    {
        if (count > 0)
        {
            _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public void PendingChanged(long delta) => Interlocked.Add(ref _pending, delta);
}
