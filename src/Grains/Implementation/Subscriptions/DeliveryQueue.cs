using CitySense.Contracts.Subscriptions;

namespace CitySense.Grains.Subscriptions;

/// <summary>
/// One subscription's entity changes in arrival order, bounded. The head batch, once attempted, is fixed (same changes,
/// same notification id and time) until the endpoint takes it: a retry sends the very notification that failed, so a
/// receiver that got it after all can tell by its id. At the bound the oldest change not in that batch is dropped.
/// </summary>
public sealed class DeliveryQueue(int bound)
{
    private readonly LinkedList<EntityChange> _items = new();
    private readonly int _bound = Math.Max(1, bound);

    public int Count => _items.Count;

    /// <summary>Changes at the head that form the notification being attempted; 0 when none is.</summary>
    public int InFlight { get; private set; }

    public string? InFlightId { get; private set; }

    public long InFlightNotifiedAtMs { get; private set; }

    /// <summary>Attempts of the batch in flight so far.</summary>
    public int InFlightAttempts { get; private set; }

    /// <summary>Adds changes; returns how many older ones were dropped to stay within the bound.</summary>
    public int Add(IReadOnlyList<EntityChange> changes)
    {
        var dropped = 0;
        foreach (var change in changes)
        {
            _items.AddLast(change);
            if (_items.Count > _bound)
            {
                if (_items.Count > InFlight + 1)
                {
                    // The oldest change not yet in a notification: what is being attempted stays whole.
                    var node = _items.First!;
                    for (var i = 0; i < InFlight; i++)
                    {
                        node = node.Next!;
                    }

                    _items.Remove(node);
                }
                else
                {
                    _items.RemoveLast();
                }

                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>The batch to attempt: the one in flight, or (none in flight) up to <paramref name="max"/> changes from the head.</summary>
    public IReadOnlyList<EntityChange> Next(int max, Func<string> newId, long nowMs)
    {
        if (InFlight == 0)
        {
            InFlight = Math.Min(Math.Max(1, max), _items.Count);
            InFlightId = newId();
            InFlightNotifiedAtMs = nowMs;
            InFlightAttempts = 0;
        }

        InFlightAttempts++;
        return _items.Take(InFlight).ToArray();
    }

    /// <summary>The endpoint took the batch in flight: it leaves the queue.</summary>
    public int Complete()
    {
        var done = InFlight;
        for (var i = 0; i < done; i++)
        {
            _items.RemoveFirst();
        }

        InFlight = 0;
        InFlightId = null;
        InFlightAttempts = 0;
        return done;
    }

    public void Clear()
    {
        _items.Clear();
        InFlight = 0;
        InFlightId = null;
        InFlightAttempts = 0;
    }

    public EntityChange[] ToArray() => [.. _items];

    /// <summary>Back from storage: the batch that was in flight is attempted again, as the same notification.</summary>
    public void Restore(IEnumerable<EntityChange> items, int inFlight, string? inFlightId, long inFlightNotifiedAtMs)
    {
        Clear();
        foreach (var item in items)
        {
            _items.AddLast(item);
        }

        InFlight = inFlightId is null ? 0 : Math.Min(inFlight, _items.Count);
        InFlightId = InFlight == 0 ? null : inFlightId;
        InFlightNotifiedAtMs = inFlightNotifiedAtMs;
    }
}
