using Microsoft.Extensions.Logging;

namespace CitySense.Grains.Routing;

/// <summary>
/// Grain calls of one batch phase: at most <see cref="RoutingOptions.MaxConcurrentGrainCalls"/> in flight, only the
/// failed ones retried, with backoff, for up to <see cref="RoutingOptions.ApplyRetryFor"/>. Repeated failures are
/// summarised: at most one retry warning (event 202) per RetryLogInterval, with the count of those not logged since; a
/// silo that retried against an unreachable silo wrote a warning per attempt. Used by one batch at a time.
/// </summary>
internal sealed partial class GrainCalls(RoutingOptions options, ILogger logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryLogInterval = TimeSpan.FromSeconds(10);
    private const int MaxErrorLength = 300;

    private readonly int _maxConcurrent = Math.Max(1, options.MaxConcurrentGrainCalls);
    private readonly TimeSpan _retryFor = options.ApplyRetryFor;
    private long _retryLoggedAt = long.MinValue;
    private int _retriesNotLogged;

    /// <summary>
    /// Runs <paramref name="call"/> for 0..count-1 with at most <see cref="RoutingOptions.MaxConcurrentGrainCalls"/> in
    /// flight, retrying only the calls that failed for up to <see cref="RoutingOptions.ApplyRetryFor"/>. A call that
    /// failed may still have applied (a timeout): device grains tell a repeated reading, areas a repeated batch by its id.
    /// </summary>
    public Task ForEachWithRetryAsync(int count, Func<int, Task> call) =>
        CallAllAsync(count, async i =>
        {
            await call(i);
            return true;
        });

    /// <summary>
    /// As <see cref="ForEachWithRetryAsync"/>, returning each call's result. A slice's calls are all started, then their
    /// own tasks awaited one by one: no state machine of ours per call (one device-grain call per device per batch), no
    /// WhenAll promise or result array per slice, and nothing at all for calls that completed synchronously.
    /// </summary>
    public async Task<T[]> CallAllAsync<T>(int count, Func<int, Task<T>> call)
    {
        var results = new T[count];
        List<int>? pending = null; // null: all of 0..count-1
        var started = DateTime.UtcNow;
        var backoff = TimeSpan.FromMilliseconds(100);
        var warned = false;
        for (var attempt = 1; ; attempt++)
        {
            var todo = pending?.Count ?? count;
            List<int>? failed = null;
            Exception? last = null;
            for (var start = 0; start < todo; start += _maxConcurrent)
            {
                var tasks = new Task<T>[Math.Min(_maxConcurrent, todo - start)];
                for (var i = 0; i < tasks.Length; i++)
                {
                    tasks[i] = Start(call, pending is null ? start + i : pending[start + i]);
                }

                for (var i = 0; i < tasks.Length; i++)
                {
                    var index = pending is null ? start + i : pending[start + i];
                    try
                    {
                        results[index] = await tasks[i];
                    }
                    catch (Exception ex)
                    {
                        // Only the calls that failed are retried.
                        (failed ??= []).Add(index);
                        last = ex;
                    }
                }
            }

            if (failed is null)
            {
                if (warned)
                {
                    LogRetrySucceeded(count, attempt, (DateTime.UtcNow - started).TotalSeconds);
                }

                return results;
            }

            if (DateTime.UtcNow - started + backoff > _retryFor)
            {
                throw new AggregateException($"{failed.Count} grain calls still failed after {attempt} attempts in {_retryFor.TotalSeconds:0.#} s: {Describe(last)}", last!);
            }

            var now = Environment.TickCount64;
            if (_retryLoggedAt == long.MinValue || now - _retryLoggedAt >= (long)RetryLogInterval.TotalMilliseconds)
            {
                LogRetrying(failed.Count, attempt, (DateTime.UtcNow - started).TotalSeconds, _retriesNotLogged, Describe(last));
                _retryLoggedAt = now;
                _retriesNotLogged = 0;
                warned = true;
            }
            else
            {
                _retriesNotLogged++;
            }
            await Task.Delay(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            pending = failed;
        }
    }

    /// <summary>
    /// An exception's type and the start of its message: Orleans' rejections carry the whole rejected message, hundreds
    /// of characters that differ per call.
    /// </summary>
    private static string Describe(Exception? ex)
    {
        if (ex is null)
        {
            return "unknown";
        }

        var message = ex.Message;
        var cut = message.IndexOf(" The rejected message is", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" for message: ", StringComparison.Ordinal);
        }

        if (cut > 0)
        {
            message = message[..cut];
        }

        if (message.Length > MaxErrorLength)
        {
            message = string.Concat(message.AsSpan(0, MaxErrorLength), "...");
        }

        return $"{ex.GetType().Name}: {message}";
    }

    /// <summary>A call that throws before returning its task fails like one whose task faults: it is retried.</summary>
    private static Task<T> Start<T>(Func<int, Task<T>> call, int index)
    {
        try
        {
            return call(index);
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "{Calls} grain calls failed (attempt {Attempt}, {Seconds:0.0} s), retrying ({NotLogged} more retries since the last report): {Error}")]
    private partial void LogRetrying(int calls, int attempt, double seconds, int notLogged, string error);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "{Calls} grain calls succeeded after {Attempts} attempts in {Seconds:0.0} s")]
    private partial void LogRetrySucceeded(int calls, int attempts, double seconds);
}
