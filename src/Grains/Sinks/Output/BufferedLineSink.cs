using System.Buffers;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CitySense.Sinks.Output;

/// <summary>
/// Holds line protocol in a bounded in-memory queue of pooled chunks and writes it in batches from one background loop,
/// retrying with exponential backoff while the destination fails. Writers never wait: past the memory budget the
/// oldest lines are dropped and counted. On shutdown the queue is drained (bounded by <see cref="InfluxOptions.DrainTimeout"/>).
/// </summary>
public sealed partial class BufferedLineSink : BackgroundService, ILineSink
{
    private const int ChunkBytes = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly LinkedList<Chunk> _chunks = new();
    private readonly ILineWriter _writer;
    private readonly InfluxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BufferedLineSink> _logger;
    private readonly SemaphoreSlim _signal = new(0, 1);
    // Cancels a write in progress only when the drain deadline passes: aborting a request the server may already have
    // applied would make the drain send it twice.
    private readonly CancellationTokenSource _writes = new();
    private long _bytesQueued;
    private long _linesQueued;
    private long _linesWritten;
    private long _linesDropped;
    private long _linesRejected;
    private long _failedAttempts;
    private DateTimeOffset? _lastSuccess;
    private string? _lastError;
    private bool _stopping;

    public BufferedLineSink(ILineWriter writer, IOptions<InfluxOptions> options, TimeProvider time, ILogger<BufferedLineSink> logger, IMeterFactory meters)
    {
        _writer = writer;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var meter = meters.Create("CitySense.Sink");
        meter.CreateObservableGauge("citysense.sink.queued_lines", () => Interlocked.Read(ref _linesQueued), "{line}");
        meter.CreateObservableCounter("citysense.sink.written_lines", () => Interlocked.Read(ref _linesWritten), "{line}");
        meter.CreateObservableCounter("citysense.sink.dropped_lines", () => Interlocked.Read(ref _linesDropped), "{line}");
    }

    public SinkStatus Status
    {
        get
        {
            lock (_lock)
            {
                return new SinkStatus(_writer.Destination, _linesWritten, _linesQueued, _bytesQueued, _linesDropped, _linesRejected, _failedAttempts, _lastSuccess, _lastError);
            }
        }
    }

    public void Write(ReadOnlySpan<byte> lines, int lineCount)
    {
        if (lines.IsEmpty)
        {
            return;
        }

        lock (_lock)
        {
            var tail = _chunks.Last?.Value;
            if (tail is null || tail.Sealed || tail.Length + lines.Length > tail.Buffer.Length)
            {
                tail = new Chunk(ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes, lines.Length)));
                _chunks.AddLast(tail);
            }

            lines.CopyTo(tail.Buffer.AsSpan(tail.Length));
            tail.Length += lines.Length;
            tail.Lines += lineCount;
            _bytesQueued += lines.Length;
            _linesQueued += lineCount;

            EnforceBudget();
        }

        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another writer signalled first; one wake-up is enough.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(_writer.Destination);
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = TakeBatch();
            if (batch.Count == 0)
            {
                try
                {
                    await _signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            if (await TryWriteAsync(batch, _writes.Token))
            {
                delay = TimeSpan.FromMilliseconds(250);
            }
            else
            {
                try
                {
                    await Task.Delay(delay, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Drain what grains flushed while the silo shut down; give up after the drain timeout, counting what is left.
        _writes.CancelAfter(_options.DrainTimeout);
        await base.StopAsync(cancellationToken);
        while (!_writes.IsCancellationRequested)
        {
            var batch = TakeBatch();
            if (batch.Count == 0)
            {
                break;
            }

            if (!await TryWriteAsync(batch, _writes.Token))
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _writes.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        lock (_lock)
        {
            _stopping = true;
            if (_linesQueued > 0)
            {
                LogUndrained(_linesQueued, _writer.Destination);
            }
        }

        await _writer.DisposeAsync();
        _writes.Dispose();
    }

    /// <summary>Seals the oldest chunks up to one request's worth; they stay queued until written.</summary>
    private List<Chunk> TakeBatch()
    {
        var batch = new List<Chunk>();
        lock (_lock)
        {
            var bytes = 0;
            for (var node = _chunks.First; node is not null; node = node.Next)
            {
                var chunk = node.Value;
                if (batch.Count > 0 && bytes + chunk.Length > _options.BatchBytes)
                {
                    break;
                }

                chunk.Sealed = true;
                batch.Add(chunk);
                bytes += chunk.Length;
            }
        }

        return batch;
    }

    private async Task<bool> TryWriteAsync(List<Chunk> batch, CancellationToken cancellationToken)
    {
        var memory = new List<ReadOnlyMemory<byte>>(batch.Count);
        int bytes = 0, lines = 0;
        foreach (var chunk in batch)
        {
            memory.Add(chunk.Buffer.AsMemory(0, chunk.Length));
            bytes += chunk.Length;
            lines += chunk.Lines;
        }

        try
        {
            await _writer.WriteAsync(memory, bytes, cancellationToken);
        }
        catch (Exception ex) when (_writer.IsPermanent(ex))
        {
            // The server read the batch and refused it (malformed or out-of-retention points): sending it again cannot
            // succeed and would block everything queued behind it. It kept what it could; the rest is counted.
            lock (_lock)
            {
                _linesRejected += lines;
                _lastError = $"{_time.GetUtcNow():O} refused by the server: {ex.Message}";
                Settle(batch);
            }

            LogRefused(lines, _writer.Destination, ex.Message);
            return true;
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _failedAttempts++;
                _lastError = $"{_time.GetUtcNow():O} {ex.GetType().Name}: {ex.Message}";
                foreach (var chunk in batch)
                {
                    // Unsealed, a failed batch can be dropped if the outage outlasts the memory budget.
                    chunk.Sealed = false;
                }

                EnforceBudget();
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                LogWriteFailed(lines, _writer.Destination, ex.Message);
            }

            return false;
        }

        lock (_lock)
        {
            Settle(batch);
            _linesWritten += lines;
            _lastSuccess = _time.GetUtcNow();
            _lastError = null;
        }

        return true;
    }

    private void Settle(List<Chunk> batch)
    {
        foreach (var chunk in batch)
        {
            _chunks.Remove(chunk);
            _bytesQueued -= chunk.Length;
            _linesQueued -= chunk.Lines;
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }
    }

    private void EnforceBudget()
    {
        while (_bytesQueued > _options.MaxBufferBytes && _chunks.First is { } oldest && !oldest.Value.Sealed)
        {
            _chunks.RemoveFirst();
            Drop(oldest.Value);
        }
    }

    private void Drop(Chunk chunk)
    {
        _bytesQueued -= chunk.Length;
        _linesQueued -= chunk.Lines;
        _linesDropped += chunk.Lines;
        if (!_stopping)
        {
            LogDropped(chunk.Lines, _options.MaxBufferBytes);
        }

        ArrayPool<byte>.Shared.Return(chunk.Buffer);
    }

    private sealed class Chunk(byte[] buffer)
    {
        public byte[] Buffer { get; } = buffer;
        public int Length { get; set; }
        public int Lines { get; set; }
        /// <summary>Taken by a write in progress: no more appends, not dropped until the write settles.</summary>
        public bool Sealed { get; set; }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Indicator output: {Destination}")]
    private partial void LogStarted(string destination);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Writing {Lines} lines to {Destination} failed, will retry: {Error}")]
    private partial void LogWriteFailed(int lines, string destination, string error);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Output buffer over {MaxBytes} bytes: dropped the {Lines} oldest lines")]
    private partial void LogDropped(int lines, long maxBytes);

    [LoggerMessage(EventId = 304, Level = LogLevel.Error, Message = "{Destination} refused a batch of {Lines} lines; not retried: {Error}")]
    private partial void LogRefused(int lines, string destination, string error);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Shutdown left {Lines} lines unwritten to {Destination}")]
    private partial void LogUndrained(long lines, string destination);
}
