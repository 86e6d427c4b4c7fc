using CitySense.Contracts.Live;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace CitySense.Live;

/// <summary>
/// Fans live updates out to this silo's SSE and WebSocket subscribers and keeps the latest figures of every area and
/// kind, so that a new subscriber's snapshot and its live messages meet exactly: both are taken under one lock.
/// </summary>
public sealed class LiveHub(IOptions<LiveOptions> options, AlarmBook alarms, LiveStats stats, TimeProvider time, Serializer serializer)
{
    private readonly Lock _lock = new();
    private readonly LatestFigures _latest = new(serializer);
    private LiveSubscriber[] _subscribers = [];
    private long _lastSeq;
    private long _nextId;

    public IReadOnlyList<LiveSubscriber> Subscribers => Volatile.Read(ref _subscribers);

    /// <summary>Applies updates in sequence order (the pump is the only caller) and offers each to matching subscribers.</summary>
    public void Publish(IReadOnlyList<ILiveUpdate> updates)
    {
        lock (_lock)
        {
            var subscribers = _subscribers;
            foreach (var update in updates)
            {
                switch (update)
                {
                    case IndicatorUpdate u:
                        _latest.Set(u);
                        break;
                    case AlarmUpdate a:
                        alarms.Apply(a);
                        break;
                }

                _lastSeq = update.Seq;
                foreach (var subscriber in subscribers)
                {
                    if (subscriber.Filter.Matches(update))
                    {
                        subscriber.Offer(update);
                    }
                }
            }
        }
    }

    /// <summary>Registers a subscriber and takes its snapshot at the same instant. Dispose the subscriber to leave.</summary>
    public LiveSubscriber Subscribe(LiveFilter filter, string transport, string? remote)
    {
        LiveSubscriber subscriber;
        List<byte[]> figures;
        long seq;
        IReadOnlyList<AlarmUpdate> active;
        lock (_lock)
        {
            subscriber = new LiveSubscriber(++_nextId, transport, remote, filter, options.Value.SubscriberBuffer, this, stats, time.GetUtcNow());
            figures = _latest.CopyMatching(filter);
            seq = _lastSeq;
            active = alarms.ActiveUpdates(filter.Matches);
            _subscribers = [.. _subscribers, subscriber];
        }

        // Read back outside the lock, so a city-wide snapshot does not hold up the updates; what was copied is the
        // state at seq, and later updates wait in the subscriber's own queue.
        try
        {
            subscriber.Snapshot = new LiveSnapshot(seq, figures.Select(_latest.Read)
                .OrderBy(u => LevelOrder(u.Level))
                .ThenBy(u => u.Key, StringComparer.Ordinal)
                .ThenBy(u => u.Figures.Kind, StringComparer.Ordinal)
                .ToArray(), active);
        }
        catch
        {
            // The caller never gets the subscriber to dispose: it must not stay registered, taking updates.
            Unsubscribe(subscriber);
            throw;
        }

        return subscriber;
    }

    /// <summary>The areas and kinds with latest figures that <paramref name="select"/> labels (null: left out).</summary>
    internal List<(T Label, string Level, string Key, string Kind)> SelectFigures<T>(Func<string, string, string, T?> select)
        where T : class
    {
        lock (_lock)
        {
            return _latest.Select(select);
        }
    }

    /// <summary>A copy of one area and kind's latest figures as they are now (null: none); read it with <see cref="ReadFigures"/>.</summary>
    internal byte[]? CopyFigures(string level, string key, string kind)
    {
        lock (_lock)
        {
            return _latest.Copy(level, key, kind);
        }
    }

    internal IndicatorUpdate ReadFigures(byte[] copy) => _latest.Read(copy);

    internal void Unsubscribe(LiveSubscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers = _subscribers.Where(s => s != subscriber).ToArray();
        }
    }

    private static int LevelOrder(string level) => level switch
    {
        LiveLevels.City => 0,
        LiveLevels.District => 1,
        _ => 2,
    };
}
