using System.Collections.Concurrent;
using CitySense.Ingest.Settings;

namespace CitySense.Ingest.Limits;

/// <summary>
/// One <see cref="TokenBucket"/> per key (a topic, a client id), bounded: past <see cref="Capacity"/> keys, buckets that
/// are full again are dropped (at most one sweep per second); keys that still find no room share one overflow bucket, so
/// a flood of made-up topics is contained as a whole instead of growing memory.
/// </summary>
internal sealed class TokenBuckets
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly double _perTick;
    private readonly double _capacity;
    private readonly TokenBucket _overflow;
    private long _lastSweep;

    public TokenBuckets(RateLimitOptions options, TimeProvider time, int capacity)
    {
        _time = time;
        _capacity = options.Burst;
        _perTick = options.MessagesPerSecond / time.TimestampFrequency;
        Capacity = capacity;
        _overflow = new TokenBucket(_capacity, time.GetTimestamp());
        _lastSweep = time.GetTimestamp();
    }

    public int Capacity { get; }

    public int Count => _buckets.Count;

    public bool TryTake(string key)
    {
        var now = _time.GetTimestamp();
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            if (_buckets.Count >= Capacity && !Sweep(now))
            {
                return _overflow.TryTake(now, _perTick, _capacity);
            }

            bucket = _buckets.GetOrAdd(key, static (_, state) => new TokenBucket(state.Capacity, state.Now), (Capacity: _capacity, Now: now));
        }

        return bucket.TryTake(now, _perTick, _capacity);
    }

    public void Remove(string key) => _buckets.TryRemove(key, out _);

    /// <summary>Drops the buckets that are full again; true when there is room afterwards.</summary>
    private bool Sweep(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (_time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1) && Interlocked.CompareExchange(ref _lastSweep, now, last) == last)
        {
            foreach (var (key, bucket) in _buckets)
            {
                if (bucket.IsFull(now, _perTick, _capacity))
                {
                    _buckets.TryRemove(key, out _);
                }
            }
        }

        return _buckets.Count < Capacity;
    }
}
