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

    public IngestStats(IMeterFactory meters)
    {
        var meter = meters.Create("CitySense.Ingest");
        meter.CreateObservableCounter("citysense.ingest.messages", () => Messages, "{message}");
        meter.CreateObservableCounter("citysense.ingest.readings_applied", () => ReadingsApplied, "{reading}");
        meter.CreateObservableCounter("citysense.ingest.batches", () => Batches, "{batch}");
        meter.CreateObservableCounter("citysense.ingest.messages_applied", () => MessagesApplied, "{message}");
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
