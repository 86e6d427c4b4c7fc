namespace CitySense.Contracts.Subscriptions;

/// <summary>
/// One subscription's delivery, one activation in the cluster (key: the subscription id): its queue of entity changes,
/// in arrival order, sent as notifications one at a time, retried with backoff until the endpoint takes them.
/// </summary>
public interface ISubscriptionGrain : IGrainWithStringKey
{
    /// <summary>The definition changed (created, patched); null: deleted, so the queue and status go too.</summary>
    Task Configure(SubscriptionSpec? spec);

    /// <summary>Changes that matched, in the order they happened on the calling silo.</summary>
    Task Enqueue(Immutable<EntityChange[]> changes);

    Task<SubscriptionStatus> GetStatus();
}
