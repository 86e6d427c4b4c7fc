using CitySense.Contracts.Telemetry;
using MQTTnet;
using CitySense.Contracts.Routing;

namespace CitySense.Ingest.Batches;

/// <summary>
/// Readings decoded from many messages, applied to the grains together. Arrays grow once and are reused
/// across batches (see <see cref="Reset"/>), so steady-state decoding allocates nothing per reading.
/// </summary>
public sealed class ReadingBatch : IDecodedBatch
{
    private DecodedReading[] _readings = new DecodedReading[256];
    private MetricSample[] _metrics = new MetricSample[1024];
    private readonly List<DecodedRejection> _rejections = [];
    private readonly List<MqttApplicationMessageReceivedEventArgs> _acks = [];
    private TaskCompletionSource _applied = NewCompletion();

    public int Count { get; private set; }

    public int MetricCount { get; private set; }

    public int Messages { get; private set; }

    public ReadOnlySpan<DecodedReading> Readings => _readings.AsSpan(0, Count);

    public ReadOnlySpan<MetricSample> MetricsOf(in DecodedReading reading) => _metrics.AsSpan(reading.MetricStart, reading.MetricCount);

    public IReadOnlyList<DecodedRejection> Rejections => _rejections;

    /// <summary>External-broker messages to acknowledge once the batch is applied.</summary>
    public IReadOnlyList<MqttApplicationMessageReceivedEventArgs> Acks => _acks;

    /// <summary>Completes when the batch's readings are applied to the grains (faults when they could not be).</summary>
    public Task Applied => _applied.Task;

    public bool IsEmpty => Count == 0 && _rejections.Count == 0 && _acks.Count == 0;

    internal void CountMessage() => Messages++;

    internal void AddMetric(MetricSample sample)
    {
        if (MetricCount == _metrics.Length)
        {
            Array.Resize(ref _metrics, _metrics.Length * 2);
        }

        _metrics[MetricCount++] = sample;
    }

    internal void AddReading(in DecodedReading reading)
    {
        if (Count == _readings.Length)
        {
            Array.Resize(ref _readings, _readings.Length * 2);
        }

        _readings[Count++] = reading;
    }

    internal void AddRejection(in DecodedRejection rejection) => _rejections.Add(rejection);

    internal void AddAck(MqttApplicationMessageReceivedEventArgs message) => _acks.Add(message);

    /// <summary>Drops what a message added after <paramref name="mark"/> (used when a message turns out malformed half-way).</summary>
    internal void RollBack(in BatchMark mark)
    {
        Count = mark.Readings;
        MetricCount = mark.Metrics;
        _rejections.RemoveRange(mark.Rejections, _rejections.Count - mark.Rejections);
    }

    internal void TruncateMetrics(int metricCount) => MetricCount = metricCount;

    internal BatchMark Mark() => new(Count, MetricCount, _rejections.Count);

    internal void Complete(Exception? error)
    {
        if (error is null)
        {
            _applied.TrySetResult();
        }
        else
        {
            _applied.TrySetException(error);
        }
    }

    /// <summary>Readies the batch for reuse. Only the worker calls this, after <see cref="Complete"/>.</summary>
    internal void Reset()
    {
        Count = 0;
        MetricCount = 0;
        Messages = 0;
        _rejections.Clear();
        _acks.Clear();
        _applied = NewCompletion();
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
