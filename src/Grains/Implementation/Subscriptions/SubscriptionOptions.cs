namespace CitySense.Grains.Subscriptions;

/// <summary>Delivery of NGSI-LD notifications (docs/sharing.md). Bound from configuration section "Subscriptions".</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Subscriptions";

    /// <summary>
    /// Entity changes queued per subscription. Past it the oldest change not yet being attempted is dropped and counted
    /// (status <c>dropped</c>, metric citysense.ngsi.changes_dropped{reason="queue_bound"}): a receiver down for long
    /// gets the newest state, not an unbounded backlog held in memory and storage.
    /// </summary>
    public int QueueBound { get; set; } = 10_000;

    /// <summary>Entity changes per notification at most, when they pile up.</summary>
    public int MaxBatch { get; set; } = 100;

    /// <summary>Wait after the first failed attempt; doubled after each further one up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt's time limit: an endpoint that takes longer counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a subscription with unsaved queue or status stores them (and at deactivation).</summary>
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a subscription checks whether a retry or a throttled notification is due.</summary>
    public TimeSpan PumpInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
