namespace CitySense.Grains.Subscriptions;

/// <summary>
/// The wait before the next attempt after <c>n</c> consecutive failures: min · 2^(n-1), at most max, less up to a fifth
/// at random so that subscriptions that failed together (one receiver down) do not retry in lockstep.
/// </summary>
public static class RetryBackoff
{
    public static TimeSpan Delay(int consecutiveErrors, TimeSpan min, TimeSpan max, double random01)
    {
        if (consecutiveErrors <= 0)
        {
            return TimeSpan.Zero;
        }

        // 2^20 times any sensible minimum is beyond any sensible maximum: the cap keeps the shift in range.
        var full = min.Ticks * (double)(1L << Math.Min(consecutiveErrors - 1, 20));
        var capped = Math.Min(full, max.Ticks);
        var jittered = capped * (1 - (0.2 * Math.Clamp(random01, 0, 1)));
        return TimeSpan.FromTicks((long)Math.Max(jittered, Math.Min(min.Ticks, max.Ticks) * 0.8));
    }
}
