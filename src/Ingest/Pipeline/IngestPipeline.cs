using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using CitySense.Ingest.Decoding;
using Microsoft.Extensions.Options;
using MQTTnet;
using CitySense.Ingest.Settings;
using CitySense.Ingest.Batches;

namespace CitySense.Ingest.Pipeline;

/// <summary>
/// The bounded queue between the MQTT edge and the <see cref="IngestWorker"/>. Messages are decoded straight into the
/// open batch; the worker takes the open batch when it is idle and the batch has gathered for
/// <see cref="IngestOptions.BatchDelay"/> (none by default; batches grow with load), and a batch that fills up is sealed
/// in arrival order. When <see cref="IngestOptions.MaxQueuedBatches"/> sealed batches wait, producers wait too:
/// backpressure reaches the broker's connection instead of growing a buffer.
/// </summary>
public sealed class IngestPipeline
{
    private readonly Lock _lock = new();
    private readonly Queue<ReadingBatch> _sealed = new();
    private readonly ConcurrentStack<ReadingBatch> _pool = new();
    private readonly TelemetryDecoder _decoder;
    private readonly IngestStats _stats;
    private readonly int _maxBatchReadings;
    private readonly int _maxQueued;
    private readonly long _batchDelayTicks;
    // When the open batch got its first message (Stopwatch ticks; real time even where a test fakes the silo's clock).
    private long _openSince;
    private readonly SemaphoreSlim _work = new(0, 1);
    private ReadingBatch _open = new();
    private TaskCompletionSource? _space;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _completed;

    public IngestPipeline(TelemetryDecoder decoder, IngestStats stats, IOptions<IngestOptions> options)
    {
        _decoder = decoder;
        _stats = stats;
        _maxBatchReadings = Math.Max(1, options.Value.MaxBatchReadings);
        _maxQueued = Math.Max(1, options.Value.MaxQueuedBatches);
        _batchDelayTicks = Math.Max(0, (long)(options.Value.BatchDelay.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>The clock the batch delay is measured with (Stopwatch ticks); tests set their own.</summary>
    internal Func<long> Clock { get; set; } = Stopwatch.GetTimestamp;

    /// <summary>Batches sealed and waiting for the worker.</summary>
    public int QueuedBatches
    {
        get
        {
            lock (_lock)
            {
                return _sealed.Count;
            }
        }
    }

    /// <summary>
    /// Decodes one message into the open batch. Waits only while the queue is full (backpressure). The returned task
    /// completes when the message's readings have been applied to the grains; <paramref name="acknowledge"/>, if given,
    /// is acknowledged to its broker at that moment.
    /// </summary>
    public ValueTask<Submission> SubmitAsync(string topic, in ReadOnlySequence<byte> payload, string? clientId, MqttApplicationMessageReceivedEventArgs? acknowledge = null)
    {
        if (TryDecodeNow(topic, payload, clientId, acknowledge, out var submission))
        {
            return new ValueTask<Submission>(submission);
        }

        // MQTTnet may reuse its buffer once the caller's handler yields: keep a pooled copy while this message waits.
        var copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        payload.CopyTo(copy);
        return SubmitSlowAsync(topic, copy, (int)payload.Length, clientId, acknowledge);
    }

    /// <summary>
    /// Decodes one message into the open batch if the queue has room, and never waits: false when it is full. For QoS 0
    /// messages from an external broker, whose client reads its socket into an unbounded queue of its own: waiting there
    /// would move the backlog into the silo's memory, so past capacity they are dropped and counted instead.
    /// </summary>
    public bool TrySubmit(string topic, in ReadOnlySequence<byte> payload, string? clientId, out Submission submission) =>
        TryDecodeNow(topic, payload, clientId, acknowledge: null, out submission);

    /// <summary>Decodes the message if the queue has room; throws once ingest is shutting down.</summary>
    private bool TryDecodeNow(string topic, in ReadOnlySequence<byte> payload, string? clientId, MqttApplicationMessageReceivedEventArgs? acknowledge, out Submission submission)
    {
        lock (_lock)
        {
            if (_completed)
            {
                throw new InvalidOperationException("Ingest is shutting down.");
            }

            if (_sealed.Count < _maxQueued)
            {
                submission = DecodeLocked(topic, payload, clientId, acknowledge);
                return true;
            }
        }

        submission = default;
        return false;
    }

    /// <summary>
    /// A message that is not decoded (refused before the pipeline) but must still be acknowledged to its broker after the
    /// messages received before it. It takes no space in the batch but its acknowledgement.
    /// </summary>
    public void AcknowledgeInTurn(MqttApplicationMessageReceivedEventArgs acknowledge)
    {
        lock (_lock)
        {
            if (_completed)
            {
                throw new InvalidOperationException("Ingest is shutting down.");
            }

            MarkOpened(_open);
            _open.AddAck(acknowledge);
        }

        Wake();
    }

    private async ValueTask<Submission> SubmitSlowAsync(string topic, byte[] copy, int length, string? clientId, MqttApplicationMessageReceivedEventArgs? acknowledge)
    {
        var sequence = new ReadOnlySequence<byte>(copy, 0, length);
        try
        {
            return await WaitAndDecodeAsync(topic, sequence, clientId, acknowledge).ConfigureAwait(false);
        }
        finally
        {
            // Decoding copies what it keeps (readings and metrics into the batch); the rejection log keeps an excerpt string.
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private async ValueTask<Submission> WaitAndDecodeAsync(string topic, ReadOnlySequence<byte> sequence, string? clientId, MqttApplicationMessageReceivedEventArgs? acknowledge)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_completed)
                {
                    throw new InvalidOperationException("Ingest is shutting down.");
                }

                if (_sealed.Count < _maxQueued)
                {
                    return DecodeLocked(topic, sequence, clientId, acknowledge);
                }

                _space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _space.Task;
            }

            await wait.ConfigureAwait(false);
        }
    }

    private Submission DecodeLocked(string topic, in ReadOnlySequence<byte> payload, string? clientId, MqttApplicationMessageReceivedEventArgs? acknowledge)
    {
        var batch = _open;
        MarkOpened(batch);
        var rejectionsBefore = batch.Rejections.Count;
        var result = _decoder.Decode(topic, payload, batch, clientId);
        batch.CountMessage();
        _stats.Decoded(result.Accepted);
        if (acknowledge is not null)
        {
            batch.AddAck(acknowledge);
        }

        if (batch.Count >= _maxBatchReadings)
        {
            _sealed.Enqueue(batch);
            _open = Rent();
        }

        // A message that added nothing to apply (a topic refused before any area is known, an empty gateway array) must
        // not wait for the batch: if nothing else arrives the batch stays empty and is never taken, and a QoS 1 publisher
        // waiting for it would stall its connection for good.
        if (result.Accepted == 0 && batch.Rejections.Count == rejectionsBefore && acknowledge is null)
        {
            return new Submission(result, Task.CompletedTask);
        }

        Wake();
        // Rejected-only messages still ride the batch: their rejections count in the community's indicators.
        return new Submission(result, batch.Applied);
    }

    /// <summary>
    /// The next batch to apply, oldest first; null when there is nothing to do. <paramref name="finished"/> is true when
    /// there is nothing to do and never will be (checked under the same lock producers take, so nothing slips in after).
    /// </summary>
    internal ReadingBatch? Take(out bool finished) => Take(out finished, out _);

    /// <summary>
    /// As <see cref="Take(out bool)"/>, but an open batch younger than <see cref="IngestOptions.BatchDelay"/> is left to
    /// gather: null, and <paramref name="gather"/> says how much longer (zero otherwise).
    /// </summary>
    internal ReadingBatch? Take(out bool finished, out TimeSpan gather)
    {
        lock (_lock)
        {
            finished = false;
            gather = TimeSpan.Zero;
            if (_sealed.TryDequeue(out var batch))
            {
                if (_space is { } space)
                {
                    _space = null;
                    space.TrySetResult();
                }

                return batch;
            }

            if (_open.IsEmpty)
            {
                finished = _completed;
                return null;
            }

            var age = Clock() - _openSince;
            if (age < _batchDelayTicks && !_completed)
            {
                // Whole milliseconds, at least one: Task.Delay waits whole milliseconds, so a shorter wait would return at
                // once and spin the worker, and one that rounded to zero would send it to wait for a wake-up that may
                // never come (a QoS 1 publisher waits for this very batch).
                gather = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((_batchDelayTicks - age) * 1000.0 / Stopwatch.Frequency)));
                return null;
            }

            batch = _open;
            _open = Rent();
            return batch;
        }
    }

    internal Task WaitForWorkAsync(CancellationToken cancellationToken) => _work.WaitAsync(cancellationToken);

    internal void Return(ReadingBatch batch)
    {
        batch.Reset();
        if (_pool.Count < _maxQueued + 2)
        {
            _pool.Push(batch);
        }
    }

    public bool IsCompleted
    {
        get
        {
            lock (_lock)
            {
                return _completed;
            }
        }
    }

    /// <summary>Completes once the worker has applied everything queued before <see cref="Complete"/> and stopped.</summary>
    public Task Drained => _drained.Task;

    /// <summary>
    /// Refuses new messages and waits until the worker has applied what is queued. The MQTT edge calls this on shutdown
    /// before it disconnects, so acknowledgements still reach the broker.
    /// </summary>
    public async Task CompleteAndDrainAsync(CancellationToken cancellationToken)
    {
        Complete();
        await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal void MarkDrained() => _drained.TrySetResult();

    /// <summary>
    /// A batch failed and was not acknowledged. An external broker redelivers unacknowledged messages only when the
    /// session is resumed, so its client subscribes to this and reconnects.
    /// </summary>
    public event Action? RedeliveryRequested;

    internal void RequestRedelivery() => RedeliveryRequested?.Invoke();

    /// <summary>Refuses new messages; what is queued is still taken by the worker.</summary>
    internal void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            _space?.TrySetResult();
        }

        Wake();
    }

    private void MarkOpened(ReadingBatch batch)
    {
        if (batch.IsEmpty)
        {
            _openSince = Clock();
        }
    }

    private ReadingBatch Rent() => _pool.TryPop(out var batch) ? batch : new ReadingBatch();

    private void Wake()
    {
        if (_work.CurrentCount == 0)
        {
            try
            {
                _work.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }
}
