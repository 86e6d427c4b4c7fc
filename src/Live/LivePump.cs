using CitySense.Contracts.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CitySense.Live;

/// <summary>
/// The silo-local background pump: takes what area grains announced from the feed's queue, in sequence order, and
/// hands it to this silo's SSE/WebSocket subscribers (and the alarm book), the Orleans stream publisher and the MQTT
/// republisher. Every hand-off is non-blocking, so the pump keeps up with the feed unless the CPU cannot.
/// </summary>
public sealed partial class LivePump(LiveFeed feed, LiveHub hub, StreamPublisher streams, MqttRepublisher mqtt, ILogger<LivePump> logger) : BackgroundService
{
    /// <summary>Updates taken per round; bounds the time subscribers wait behind one round.</summary>
    private const int MaxBatch = 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = feed.Reader;
        var batch = new List<ILiveUpdate>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var update))
                {
                    batch.Add(update);
                }

                try
                {
                    hub.Publish(batch);
                    streams.Offer(batch);
                    mqtt.Offer(batch);
                }
                catch (Exception ex)
                {
                    // A bug in one consumer must not stop live updates for the others.
                    LogPumpFailed(ex, batch.Count);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is not delivered; live updates are not kept across restarts.
        }
    }

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "Live pump failed to deliver {Count} updates")]
    private partial void LogPumpFailed(Exception ex, int count);
}
