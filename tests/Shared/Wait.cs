using System.Diagnostics;

namespace CitySense.Testing;

/// <summary>
/// Waiting on a condition with a deadline, never for a fixed time. The test projects do not reference each other, so
/// each links this one file in (see their csproj); partial, so a project can add waits only it needs (the integration
/// tests wait for ports).
/// </summary>
internal static partial class Wait
{
    // Fast enough that a wait ends soon after its condition holds; slow enough that polling a silo's HTTP endpoint does
    // not take a noticeable share of a 2-core machine that also runs the silo under test.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="condition"/> until it is true; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        PollAsync(condition, static done => done, timeout, what, showLast: false);

    /// <summary>
    /// Reads until <paramref name="done"/> accepts what was read, and returns that; throws <see cref="TimeoutException"/>
    /// after <paramref name="timeout"/>, naming the last value read.
    /// </summary>
    public static Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what) =>
        PollAsync(read, done, timeout, what, showLast: true);

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what, bool showLast)
    {
        // Stopwatch, not the wall clock: a clock adjustment must not end or stretch a wait.
        var elapsed = Stopwatch.StartNew();
        var seen = false;
        T last = default!;
        Exception? error = null;
        while (true)
        {
            try
            {
                last = await read();
                seen = true;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception ex)
            {
                // Not there yet, as far as the wait is concerned: a server still starting refuses connections, a
                // document still filling lacks a property. A lasting error is reported with the timeout.
                error = ex;
            }

            // Checked after a read, so the condition is always read once more at (or past) the deadline.
            if (elapsed.Elapsed >= timeout)
            {
                throw new TimeoutException(Describe(timeout, what, showLast && seen ? (object?)last : null, error), error);
            }

            await Task.Delay(PollInterval);
        }
    }

    private static string Describe(TimeSpan timeout, string what, object? last, Exception? error) =>
        $"Timed out after {timeout.TotalSeconds} s waiting for {what}."
        + (last is null ? string.Empty : $" Last seen: {last}.")
        + (error is null ? string.Empty : $" Last error: {error.GetType().Name}: {error.Message}");
}
