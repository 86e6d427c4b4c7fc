using System.Buffers;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CitySense.Output.Writing;

/// <summary>
/// Holds line protocol in a bounded in-memory queue of pooled chunks and writes it in batches from one background loop,
/// retrying with exponential backoff while the destination fails. Writers never wait: past the memory budget the oldest
/// lines move to a <see cref="SpillQueue"/> on disk (written first when the server is back; past the disk cap the oldest
/// are dropped and counted). On shutdown the queue is drained (bounded by <see cref="InfluxOptions.DrainTimeout"/>) and
/// what is left is spilled, so it is written after the next start.
/// </summary>
public sealed partial class BufferedLineSink : BackgroundService, ILineSink
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// Written chunks kept for the next lines instead of going back to the shared array pool (4 MB at most). The shared
    /// pool keeps a few arrays per core and thread: a write of a megabyte gave back 16 chunks at once from this one loop,
    /// most of which it dropped, and each had lived long enough (a flush, a write) to die in gen2. At a million devices
    /// those chunks were 67 MB of the dead objects in gen2 less than a minute after a full collection, and what the GC left as
    /// free space between live objects grew with them (benchmarks/RESULTS.md §61).
    /// </summary>
    private const int FreeChunksKept = 64;

    private readonly Lock _lock = new();
    private readonly LinkedList<Chunk> _chunks = new();
    // Guarded by _lock, like _chunks.
    private readonly Stack<byte[]> _freeChunks = new();
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
    private readonly SpillQueue? _spill;
    private readonly DateTimeOffset _started;

    public BufferedLineSink(ILineWriter writer, IOptions<InfluxOptions> options, TimeProvider time, ILogger<BufferedLineSink> logger, IMeterFactory meters)
    {
        _writer = writer;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _started = time.GetUtcNow();
        if (_options.MaxSpillBytes > 0)
        {
            _spill = new SpillQueue(Path.GetFullPath(_options.SpillPath ?? Path.Combine(_options.DataPath, "spill")), _options.MaxSpillBytes);
        }

        var meter = meters.Create(OutputRegistration.MeterName);
        meter.CreateObservableGauge("citysense.sink.queued_lines", () => Interlocked.Read(ref _linesQueued), "{line}");
        meter.CreateObservableCounter("citysense.sink.written_lines", () => Interlocked.Read(ref _linesWritten), "{line}");
        meter.CreateObservableCounter("citysense.sink.dropped_lines", () => Interlocked.Read(ref _linesDropped), "{line}");
        meter.CreateObservableGauge("citysense.sink.spilled_lines", () => Status.LinesSpilled, "{line}");
        meter.CreateObservableGauge("citysense.sink.lag", LagSeconds, "s", "How long the oldest unwritten line has been waiting, roughly: time since the last successful write while lines wait");
    }

    private double LagSeconds()
    {
        lock (_lock)
        {
            var waiting = _linesQueued > 0 || _spill is { IsEmpty: false };
            return waiting ? (_time.GetUtcNow() - (_lastSuccess ?? _started)).TotalSeconds : 0;
        }
    }

    public SinkStatus Status
    {
        get
        {
            lock (_lock)
            {
                return new SinkStatus(_writer.Destination, _linesWritten, _linesQueued, _bytesQueued, _linesDropped, _linesRejected,
                    _spill?.Lines ?? 0, _spill?.Bytes ?? 0, _failedAttempts, _lastSuccess, _lastError);
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
                tail = new Chunk(RentChunk(lines.Length));
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
            if (batch.IsEmpty)
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
            if (batch.IsEmpty)
            {
                break;
            }

            if (!await TryWriteAsync(batch, _writes.Token))
            {
                if (_spill is not null)
                {
                    // The server is down: what is left goes to disk below rather than keeping shutdown waiting.
                    break;
                }

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
            if (_linesQueued > 0 && _spill is not null)
            {
                var lines = _linesQueued;
                while (_chunks.First is { } oldest)
                {
                    _chunks.RemoveFirst();
                    Spill(oldest.Value);
                }

                LogSpilledAtShutdown(lines, _spill.Folder);
            }
            else if (_linesQueued > 0)
            {
                LogUndrained(_linesQueued, _writer.Destination);
            }
        }

        await _writer.DisposeAsync();
        _writes.Dispose();
    }

    /// <summary>
    /// The oldest lines, up to one request's worth: from the spill while it holds any (it is older than memory), else the
    /// oldest memory chunks, sealed so they stay queued (and are not spilled) until the write settles.
    /// </summary>
    private Batch TakeBatch()
    {
        lock (_lock)
        {
            if (_spill is { IsEmpty: false } && _spill.Peek(_options.BatchBytes) is { } slice)
            {
                return new Batch([], slice.Buffer, slice.Bytes, slice.Lines);
            }

            var chunks = new List<Chunk>();
            int bytes = 0, lines = 0;
            for (var node = _chunks.First; node is not null; node = node.Next)
            {
                var chunk = node.Value;
                if (chunks.Count > 0 && bytes + chunk.Length > _options.BatchBytes)
                {
                    break;
                }

                chunk.Sealed = true;
                chunks.Add(chunk);
                bytes += chunk.Length;
                lines += chunk.Lines;
            }

            return new Batch(chunks, null, bytes, lines);
        }
    }

    private async Task<bool> TryWriteAsync(Batch batch, CancellationToken cancellationToken)
    {
        IReadOnlyList<ReadOnlyMemory<byte>> memory = batch.Spilled is { } spilled
            ? [spilled.AsMemory(0, batch.Bytes)]
            : batch.Chunks.Select(c => (ReadOnlyMemory<byte>)c.Buffer.AsMemory(0, c.Length)).ToList();
        var lines = batch.Lines;
        try
        {
            await _writer.WriteAsync(memory, batch.Bytes, cancellationToken);
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
                foreach (var chunk in batch.Chunks)
                {
                    // Unsealed, a failed batch can be spilled (or dropped) if the outage outlasts the memory budget.
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

    private void Settle(Batch batch)
    {
        if (batch.Spilled is not null)
        {
            _spill!.Commit(batch.Bytes, batch.Lines);
            return;
        }

        foreach (var chunk in batch.Chunks)
        {
            _chunks.Remove(chunk);
            _bytesQueued -= chunk.Length;
            _linesQueued -= chunk.Lines;
            ReturnChunk(chunk.Buffer);
        }
    }

    private void EnforceBudget()
    {
        while (_bytesQueued > _options.MaxBufferBytes && _chunks.First is { } oldest && !oldest.Value.Sealed)
        {
            _chunks.RemoveFirst();
            Spill(oldest.Value);
        }
    }

    /// <summary>Moves a memory chunk to the tail of the spill (or drops it when spilling is off or the disk fails).</summary>
    private void Spill(Chunk chunk)
    {
        if (_spill is null)
        {
            Drop(chunk);
            return;
        }

        try
        {
            var dropped = _spill.Append(chunk.Buffer.AsSpan(0, chunk.Length), chunk.Lines);
            _bytesQueued -= chunk.Length;
            _linesQueued -= chunk.Lines;
            ReturnChunk(chunk.Buffer);
            if (dropped > 0)
            {
                _linesDropped += dropped;
                LogSpillCapped(dropped, _options.MaxSpillBytes);
            }
        }
        catch (IOException ex)
        {
            LogSpillFailed(ex.Message);
            Drop(chunk);
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

        ReturnChunk(chunk.Buffer);
    }

    /// <summary>A chunk for at least <paramref name="bytes"/>: a kept one when it fits. Called under <see cref="_lock"/>.</summary>
    private byte[] RentChunk(int bytes) =>
        bytes <= ChunkBytes && _freeChunks.TryPop(out var kept) ? kept : ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes, bytes));

    /// <summary>Keeps a chunk for reuse, up to <see cref="FreeChunksKept"/>; a larger one (a huge write) goes back to the pool.</summary>
    private void ReturnChunk(byte[] buffer)
    {
        if (buffer.Length == ChunkBytes && _freeChunks.Count < FreeChunksKept)
        {
            _freeChunks.Push(buffer);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One write: memory chunks, or a slice read from the spill.</summary>
    private sealed record Batch(List<Chunk> Chunks, byte[]? Spilled, int Bytes, int Lines)
    {
        public bool IsEmpty => Bytes == 0;
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

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Spill over its disk cap of {MaxBytes} bytes: dropped the {Lines} oldest spilled lines")]
    private partial void LogSpillCapped(long lines, long maxBytes);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "Spilling to disk failed, dropping instead: {Error}")]
    private partial void LogSpillFailed(string error);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "Shutdown spilled {Lines} unwritten lines to {Folder}; they are written after the next start")]
    private partial void LogSpilledAtShutdown(long lines, string folder);

    [LoggerMessage(EventId = 304, Level = LogLevel.Error, Message = "{Destination} refused a batch of {Lines} lines; not retried: {Error}")]
    private partial void LogRefused(int lines, string destination, string error);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Shutdown left {Lines} lines unwritten to {Destination}")]
    private partial void LogUndrained(long lines, string destination);
}
