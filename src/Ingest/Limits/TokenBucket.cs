namespace CitySense.Ingest.Limits;

/// <summary>
/// Tokens refill continuously at a rate up to a capacity; each message takes one. Timestamps come from
/// <see cref="TimeProvider.GetTimestamp"/>, so tests can drive the clock.
/// </summary>
internal sealed class TokenBucket(double capacity, long nowTimestamp)
{
    private readonly Lock _lock = new();
    private double _tokens = capacity;
    private long _updated = nowTimestamp;

    public bool TryTake(long nowTimestamp, double perTick, double capacity)
    {
        lock (_lock)
        {
            Refill(nowTimestamp, perTick, capacity);
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }

    /// <summary>Full again: the bucket holds nothing a fresh one would not, so it can be forgotten.</summary>
    public bool IsFull(long nowTimestamp, double perTick, double capacity)
    {
        lock (_lock)
        {
            Refill(nowTimestamp, perTick, capacity);
            return _tokens >= capacity;
        }
    }

    private void Refill(long nowTimestamp, double perTick, double capacity)
    {
        if (nowTimestamp > _updated)
        {
            _tokens = Math.Min(capacity, _tokens + (nowTimestamp - _updated) * perTick);
            _updated = nowTimestamp;
        }
    }
}
