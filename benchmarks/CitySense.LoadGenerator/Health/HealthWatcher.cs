using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CitySense.LoadGenerator.Measurement;
using CitySense.LoadGenerator.Options;
using CitySense.LoadGenerator.Subscribing;

namespace CitySense.LoadGenerator.Health;

/// <summary>
/// Turns a running CitySense's GET /health counters (ingest.readingsApplied, ingest.messages) into the same report as
/// the count-only subscriber. Polls every 100 ms; the rate is taken between the first and the last poll that saw
/// readingsApplied grow, so the resolution is one poll interval at each end.
/// </summary>
public sealed class HealthWatcher(LoadOptions options, TextWriter output)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<ReceiveReport> RunAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(options.HealthUrl!), Timeout = TimeSpan.FromSeconds(5) };
        var (baseMessages, baseReadings) = await ReadAsync(http, cancellationToken);
        await output.WriteLineAsync($"[health] watching {options.HealthUrl}/health: {baseReadings} readings applied so far");

        long messages = baseMessages, readings = baseReadings;
        long firstTicks = 0, lastTicks = 0, firstReadings = 0, firstMessages = 0;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = IdleLoop.RunAsync(options, output, "health", () => (Interlocked.Read(ref messages) - baseMessages, Interlocked.Read(ref readings) - baseReadings),
            () => Volatile.Read(ref lastTicks), clock, stop.Token);
        using var timer = new PeriodicTimer(Poll);
        while (!progress.IsCompleted && await timer.WaitForNextTickAsync(cancellationToken))
        {
            (long m, long r) current;
            try
            {
                current = await ReadAsync(http, cancellationToken);
            }
            catch (HttpRequestException)
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            if (current.r > Interlocked.Read(ref readings))
            {
                if (firstTicks == 0)
                {
                    firstTicks = now;
                    firstReadings = current.r;
                    firstMessages = current.m;
                }

                Volatile.Write(ref lastTicks, now);
            }

            Interlocked.Exchange(ref messages, current.m);
            Interlocked.Exchange(ref readings, current.r);
        }

        var peak = await progress;
        var active = firstTicks == 0 ? 0 : Stopwatch.GetElapsedTime(firstTicks, lastTicks).TotalSeconds;
        return new ReceiveReport("CitySense (GET /health ingest.readingsApplied)", messages - baseMessages, readings - baseReadings, active,
            active > 0 ? (readings - firstReadings) / active : 0, active > 0 ? (messages - firstMessages) / active : 0, peak,
            firstTicks == 0 ? 0 : WallClock.UnixMs(firstTicks), lastTicks == 0 ? 0 : WallClock.UnixMs(lastTicks), null);
    }

    private static async Task<(long Messages, long Readings)> ReadAsync(HttpClient http, CancellationToken cancellationToken)
    {
        // /health answers 503 while the MQTT edge is down; the counters are in the body either way.
        using var response = await http.GetAsync("/health", cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var ingest = body.GetProperty("ingest");
        return (ingest.GetProperty("messages").GetInt64(), ingest.GetProperty("readingsApplied").GetInt64());
    }
}
