using System.Threading.Channels;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CitySense.Live;

/// <summary>
/// The live feed area grains call after each apply. It only numbers the update and offers it to a bounded queue that
/// <see cref="LivePump"/> empties: a grain turn never waits for a subscriber, a stream or the network, and when the
/// queue is full the update is dropped and counted instead of stalling ingestion.
/// </summary>
public sealed partial class LiveFeed : ILiveFeed
{
    private readonly Channel<ILiveUpdate> _queue;
    private readonly LiveStats _stats;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveFeed> _logger;

    // Numbering and enqueueing happen under one lock so that the queue holds updates in sequence order without gaps:
    // a subscriber that receives everything sees consecutive numbers. The section is a counter and a TryWrite.
    private readonly Lock _lock = new();
    private long _seq;

    public LiveFeed(IOptions<LiveOptions> options, LiveStats stats, TimeProvider time, ILogger<LiveFeed> logger)
    {
        _queue = Channel.CreateBounded<ILiveUpdate>(new BoundedChannelOptions(Math.Max(1, options.Value.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _stats = stats;
        _time = time;
        AreaInterval = options.Value.AreaInterval < TimeSpan.Zero ? TimeSpan.Zero : options.Value.AreaInterval;
        _logger = logger;
    }

    public bool Enabled => true;

    public TimeSpan AreaInterval { get; }

    internal ChannelReader<ILiveUpdate> Reader => _queue.Reader;

    /// <summary>Updates waiting for the pump now.</summary>
    internal int Queued => _queue.Reader.Count;

    public void AreaChanged(string level, string key, IReadOnlyList<KindSnapshot> kinds)
    {
        try
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var kind in kinds)
            {
                lock (_lock)
                {
                    if (_queue.Writer.TryWrite(new IndicatorUpdate(_seq + 1, now, level, key, kind)))
                    {
                        _stats.SetPublished(++_seq);
                        continue;
                    }
                }

                _stats.FeedDrop();
            }
        }
        catch (Exception ex)
        {
            // The contract: never throw into the grain turn that applies readings.
            LogFeedFailed(ex);
        }
    }

    public void AlarmChanged(AlarmEvent alarm) => Offer(alarm, null);

    public void AlarmChanged(AlarmRecord record) => Offer(record.Alarm, record);

    private void Offer(AlarmEvent alarm, AlarmRecord? record)
    {
        try
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            lock (_lock)
            {
                if (_queue.Writer.TryWrite(new AlarmUpdate(_seq + 1, now, alarm) { Status = record?.Status, Change = record?.Last }))
                {
                    _stats.SetPublished(++_seq);
                    return;
                }
            }

            _stats.FeedDrop();
        }
        catch (Exception ex)
        {
            LogFeedFailed(ex);
        }
    }

    /// <summary>No more updates: the pump finishes what is queued and stops.</summary>
    internal void Complete() => _queue.Writer.TryComplete();

    [LoggerMessage(EventId = 600, Level = LogLevel.Error, Message = "Live feed failed to take an update")]
    private partial void LogFeedFailed(Exception ex);
}
