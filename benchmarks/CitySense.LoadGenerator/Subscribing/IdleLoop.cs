using System.Diagnostics;
using CitySense.LoadGenerator.Options;

namespace CitySense.LoadGenerator.Subscribing;

/// <summary>
/// Once per second: prints progress and decides when a receiver is done, which is --idle-exit after the last arrival
/// once something arrived and --settle has passed (the publisher stopped and the backlog drained; a receiver that
/// stalls for a while mid-run is waited for), or --duration in all. Returns the highest one-second reading rate seen.
/// </summary>
public static class IdleLoop
{
    public static async Task<double> RunAsync(LoadOptions options, TextWriter output, string label, Func<(long Messages, long Readings)> totals,
        Func<long> lastArrivalTicks, Stopwatch clock, CancellationToken cancellationToken)
    {
        double peak = 0;
        long lastReadings = 0;
        var last = clock.Elapsed;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var now = clock.Elapsed;
            var (messages, readings) = totals();
            var rate = (readings - lastReadings) / (now - last).TotalSeconds;
            peak = Math.Max(peak, rate);
            if (!options.Quiet)
            {
                await output.WriteLineAsync($"[{label}] t={now.TotalSeconds,5:F1}s received {messages,10} msgs {readings,11} readings  {rate,10:F0} readings/s");
            }

            lastReadings = readings;
            last = now;
            var lastArrival = lastArrivalTicks();
            if (now >= options.Duration || (now >= options.Settle && lastArrival != 0 && Stopwatch.GetElapsedTime(lastArrival) >= options.IdleExit))
            {
                break;
            }
        }

        return peak;
    }
}
