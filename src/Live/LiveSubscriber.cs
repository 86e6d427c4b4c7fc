using System.Threading.Channels;
using CitySense.Contracts.Live;

namespace CitySense.Live;

/// <summary>
/// One SSE or WebSocket subscriber: its filter, its snapshot and its own bounded buffer. The pump never waits for it:
/// when the buffer is full the oldest message is dropped and counted, and the subscriber sees the count.
/// </summary>
public sealed class LiveSubscriber : IDisposable
{
    private readonly Channel<ILiveUpdate> _buffer;
    private readonly LiveHub _hub;
    private readonly LiveStats _stats;
    private long _dropped;

    internal LiveSubscriber(long id, string transport, string? remote, LiveFilter filter, int capacity, LiveHub hub, LiveStats stats, DateTimeOffset since)
    {
        Id = id;
        Transport = transport;
        Remote = remote;
        Filter = filter;
        Since = since;
        _hub = hub;
        _stats = stats;
        _buffer = Channel.CreateBounded<ILiveUpdate>(
            new BoundedChannelOptions(Math.Max(1, capacity)) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => OnDropped());
    }

    public long Id { get; }

    /// <summary>sse or ws.</summary>
    public string Transport { get; }

    public string? Remote { get; }

    public LiveFilter Filter { get; }

    public DateTimeOffset Since { get; }

    public LiveSnapshot Snapshot { get; internal set; } = new(0, [], []);

    /// <summary>Messages dropped from this subscriber's buffer since it subscribed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Buffered => _buffer.Reader.Count;

    public ChannelReader<ILiveUpdate> Reader => _buffer.Reader;

    /// <summary>Called by the hub's publisher only (single writer); never blocks.</summary>
    internal void Offer(ILiveUpdate update) => _buffer.Writer.TryWrite(update);

    public void Dispose()
    {
        _hub.Unsubscribe(this);
        _buffer.Writer.TryComplete();
    }

    private void OnDropped()
    {
        Interlocked.Increment(ref _dropped);
        _stats.SubscriberDrop();
    }
}
