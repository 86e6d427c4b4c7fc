using CitySense.Ingest.Settings;
using System.Diagnostics.Metrics;

namespace CitySense.Ingest.Pipeline;

/// <summary>Counters of the ingest path, shown on /health and exported as metrics.</summary>
public sealed class IngestStats
{
    private long _messages;
    private long _readingsDecoded;
    private long _readingsApplied;
    private long _readingsRejectedByDevices;
    private long _batches;
    private long _messagesApplied;
    private long _failedBatches;
    private long _droppedMessages;
    private long _droppedBytes;
    private long _lastDropTicks;

    public IngestStats(IMeterFactory meters)
    {
        var meter = meters.Create(IngestMeter.Name);
        meter.CreateObservableCounter("citysense.ingest.messages", () => Messages, "{message}");
        meter.CreateObservableCounter("citysense.ingest.readings_applied", () => ReadingsApplied, "{reading}");
        meter.CreateObservableCounter("citysense.ingest.batches", () => Batches, "{batch}");
        meter.CreateObservableCounter("citysense.ingest.messages_applied", () => MessagesApplied, "{message}");
        meter.CreateObservableCounter("citysense.ingest.dropped_messages", () => DroppedMessages, "{message}",
            "QoS 0 messages from an external broker dropped undecoded because ingest was past capacity (queue full)");
        meter.CreateObservableGauge("citysense.ingest.backlog", () => Messages - MessagesApplied, "{message}", "Messages decoded but not yet applied to the grains (queue depth)");
    }

    public long Messages => Interlocked.Read(ref _messages);
    public long ReadingsDecoded => Interlocked.Read(ref _readingsDecoded);
    public long ReadingsApplied => Interlocked.Read(ref _readingsApplied);
    public long ReadingsRejectedByDevices => Interlocked.Read(ref _readingsRejectedByDevices);
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Messages whose batch was applied to the grains (their readings and rejections are in the indicators).</summary>
    public long MessagesApplied => Interlocked.Read(ref _messagesApplied);
    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    /// <summary>QoS 0 messages dropped undecoded past capacity (external broker only; see <see cref="IngestPipeline.TrySubmit"/>).</summary>
    public long DroppedMessages => Interlocked.Read(ref _droppedMessages);

    /// <summary>Payload bytes of <see cref="DroppedMessages"/>.</summary>
    public long DroppedBytes => Interlocked.Read(ref _droppedBytes);

    /// <summary>Whether a message was dropped within <paramref name="window"/> (the silo is, or just was, past capacity).</summary>
    public bool DroppedWithin(TimeSpan window) => DroppedMessages > 0 &&
        Environment.TickCount64 - Interlocked.Read(ref _lastDropTicks) < (long)window.TotalMilliseconds;

    internal void Dropped(long payloadBytes)
    {
        Interlocked.Increment(ref _droppedMessages);
        Interlocked.Add(ref _droppedBytes, payloadBytes);
        Interlocked.Exchange(ref _lastDropTicks, Environment.TickCount64);
    }

    internal void Decoded(int readings)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _readingsDecoded, readings);
    }

    internal void Applied(int messages, int accepted, int rejected)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _messagesApplied, messages);
        Interlocked.Add(ref _readingsApplied, accepted);
        Interlocked.Add(ref _readingsRejectedByDevices, rejected);
    }

    internal void Failed() => Interlocked.Increment(ref _failedBatches);
}
