using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Rejections;
using CitySense.Output;
using CitySense.Output.LineProtocol;
using CitySense.Output.Schema;
using CitySense.Output.Writing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using CitySense.Ingest.Settings;
using CitySense.Ingest.Batches;

namespace CitySense.Ingest.Pipeline;

/// <summary>
/// Applies batches to the grains, one batch at a time so acknowledgements go out in arrival order:
/// readings grouped per device go to the devices' shard grains (one call per shard, in parallel), their updates
/// grouped per community go to the community grains, then with the communities' consumption totals to the districts and
/// the city (one call per area per batch). Only then, with every area's state stored, is the batch complete and acknowledged.
/// A failed batch is not acknowledged: an external broker redelivers it, an embedded-broker publisher gets an error PUBACK.
/// </summary>
public sealed partial class IngestWorker(
    IngestPipeline pipeline,
    IGrainFactory grains,
    ILineSink sink,
    IngestStats stats,
    RejectionLog rejectionLog,
    IOptions<IndicatorOptions> indicatorOptions,
    IOptions<InfluxOptions> influxOptions,
    IOptions<IngestOptions> ingestOptions,
    IOptions<DeviceOptions> deviceOptions,
    ILogger<IngestWorker> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    // Repeated failures are summarised: at most one retry warning (event 202) per RetryLogInterval and one failed-batch
    // error (event 200) per FailureLogInterval, each with the count of those not logged since. A silo that retried
    // against an unreachable silo wrote a warning per attempt and an error with its stack trace per batch.
    private static readonly TimeSpan RetryLogInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromSeconds(30);
    private const int MaxErrorLength = 300;

    private readonly IndicatorOptions _indicators = indicatorOptions.Value;
    private readonly bool _rawReadings = influxOptions.Value.RawReadings;
    private readonly int _maxConcurrent = Math.Max(1, ingestOptions.Value.MaxConcurrentGrainCalls);
    private readonly TimeSpan _retryFor = ingestOptions.Value.ApplyRetryFor;
    // Batch ids: this worker's (a silo's lifetime) prefix and a sequence. An area that applied a batch and lost its
    // answer recognises the retry by it.
    private readonly string _workerId = Guid.NewGuid().ToString("N")[..12];
    private long _sequence;
    private readonly HashSet<string> _knownCommunities = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownDistricts = new(StringComparer.Ordinal);
    private readonly LineBuilder _rawLines = new();
    private readonly Dictionary<DeviceAddress, int> _deviceIndex = new(ReferenceEqualityComparer.Instance);
    private int[] _next = [];
    private int[] _head = [];
    private int[] _tail = [];
    private int[] _count = [];
    private readonly GrainReferences _grains = new(grains, ShardCount(deviceOptions));
    // Per shard: its index among the shards of the batch, or -1 (reset after each batch, so it is all -1 between batches).
    private readonly int[] _shardSlot = Enumerable.Repeat(-1, ShardCount(deviceOptions)).ToArray();
    // Per device of the batch: its shard's index among the batch's shards, and its position in that shard's arrays.
    // Reused across batches, like the per-device chains above: a batch of single-reading messages may hold few readings.
    private int[] _shardOf = [];
    private int[] _position = [];
    private readonly List<int> _shardIds = [];
    private readonly List<int> _shardSizes = [];
    private long _retryLoggedAt = long.MinValue;
    private int _retriesNotLogged;
    private long _failureLoggedAt = long.MinValue;
    private int _failuresNotLogged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                var batch = pipeline.Take(out var finished, out var gather);
                if (batch is null)
                {
                    if (finished)
                    {
                        // Drained: everything accepted before shutdown was applied.
                        return;
                    }

                    if (gather > TimeSpan.Zero)
                    {
                        // The open batch is gathering (Ingest:BatchDelay). Messages arriving meanwhile need not wake
                        // the worker; shutdown (Complete) makes Take hand the batch over at once.
                        await Task.Delay(gather, CancellationToken.None);
                        continue;
                    }

                    try
                    {
                        await pipeline.WaitForWorkAsync(stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        // The MQTT edge normally completes the pipeline before the worker is stopped; make sure.
                        pipeline.Complete();
                    }

                    continue;
                }

                await ProcessAsync(batch);
            }
        }
        finally
        {
            pipeline.MarkDrained();
        }
    }

    private async Task ProcessAsync(ReadingBatch batch)
    {
        Exception? error = null;
        try
        {
            await ApplyAsync(batch);
        }
        catch (Exception ex)
        {
            error = ex;
            stats.Failed();
            var now = Environment.TickCount64;
            if (_failureLoggedAt == long.MinValue || now - _failureLoggedAt >= (long)FailureLogInterval.TotalMilliseconds)
            {
                LogApplyFailed(ex, batch.Count, _failuresNotLogged);
                _failureLoggedAt = now;
                _failuresNotLogged = 0;
            }
            else
            {
                _failuresNotLogged++;
            }
        }

        batch.Complete(error);
        if (error is null)
        {
            await AcknowledgeAsync(batch.Acks);
        }
        else if (batch.Acks.Count > 0)
        {
            // Unacknowledged messages would hold their Receive Maximum slots until the session is resumed: ask the
            // broker client to reconnect, so the broker redelivers them.
            pipeline.RequestRedelivery();
        }

        pipeline.Return(batch);
    }

    private async Task ApplyAsync(ReadingBatch batch)
    {
        // 1. Device state (shard grains): the readings of each device, in arrival order. Readings of a device are chained through
        // _next (reused across batches), so grouping allocates nothing per reading.
        var readings = batch.Readings;
        _deviceIndex.Clear();
        if (_next.Length < readings.Length)
        {
            _next = new int[readings.Length];
            _head = new int[readings.Length];
            _tail = new int[readings.Length];
            _count = new int[readings.Length];
        }

        var deviceCount = 0;
        for (var i = 0; i < readings.Length; i++)
        {
            var address = readings[i].Address;
            _next[i] = -1;
            if (_deviceIndex.TryGetValue(address, out var d))
            {
                _next[_tail[d]] = i;
                _tail[d] = i;
                _count[d]++;
            }
            else
            {
                d = deviceCount++;
                _deviceIndex.Add(address, d);
                _head[d] = _tail[d] = i;
                _count[d] = 1;
            }
        }

        var devices = new DeviceAddress[deviceCount];
        var inputs = new DeviceReading[deviceCount][];
        for (var d = 0; d < deviceCount; d++)
        {
            var input = new DeviceReading[_count[d]];
            var j = 0;
            for (var i = _head[d]; i >= 0; i = _next[i])
            {
                ref readonly var pending = ref readings[i];
                input[j++] = new DeviceReading(pending.TimestampMs, pending.Seq, pending.HasSeq, pending.ReceivedAtMs, batch.MetricsOf(pending).ToArray());
            }

            devices[d] = readings[_head[d]].Address;
            inputs[d] = input;
        }

        var results = await ApplyToShardsAsync(devices, inputs);

        // 2. Group the updates per area: count, then fill arrays of exactly the right size (no growing lists, no copies).
        var areas = new AreaBatches();
        var areaOf = new AreaBatch[devices.Length];
        for (var d = 0; d < devices.Length; d++)
        {
            var area = areaOf[d] = areas.Of(devices[d]);
            foreach (var update in results[d])
            {
                if (update.Accepted)
                {
                    area.Expect();
                }
            }
        }

        areas.Allocate();
        int accepted = 0, rejected = 0;
        for (var d = 0; d < devices.Length; d++)
        {
            var address = devices[d];
            var updates = results[d];
            for (var u = 0; u < updates.Length; u++)
            {
                if (updates[u].Accepted)
                {
                    areaOf[d].Add(updates[u]);
                    accepted++;
                }
                else
                {
                    areas.Reject(address.District, address.Community, address.Kind, updates[u].Rejection, _indicators.WindowStart(inputs[d][u].ReceivedAtMs));
                    rejectionLog.Record(updates[u].Rejection, address.ToString(), null, address.CommunityKey, address.Device,
                        updates[u].Rejection switch
                        {
                            RejectionReason.RegisterOutOfRange => "the register value is negative or beyond any meter's range",
                            RejectionReason.DeviceDecommissioned => "the device is decommissioned",
                            _ => "the device is registered to another district, community or kind",
                        }, default);
                    rejected++;
                }
            }
        }

        foreach (var rejection in batch.Rejections)
        {
            areas.Reject(rejection.District, rejection.Community, rejection.Kind, rejection.Reason, _indicators.WindowStart(rejection.ReceivedAtMs));
        }

        // 3. The city knows its districts and each district its communities before their numbers arrive.
        var newCommunities = areas.Communities.Where(c => !_knownCommunities.Contains(c.Key)).ToList();
        await ForEachWithRetryAsync(newCommunities.Count, i =>
            _grains.District(newCommunities[i].Value.District).RegisterCommunity(newCommunities[i].Value.Community));
        _knownCommunities.UnionWith(newCommunities.Select(c => c.Key));
        var newDistricts = areas.Communities.Values.Select(c => c.District).Where(d => !_knownDistricts.Contains(d)).Distinct(StringComparer.Ordinal).ToList();
        await ForEachWithRetryAsync(newDistricts.Count, i => _grains.City.RegisterDistrict(newDistricts[i]));
        _knownDistricts.UnionWith(newDistricts);

        // 4. Community grains, one call per community; only calls that failed are retried. Each stores its state and
        // returns its consumption totals, which the district and the city reconcile against (so a failure between the
        // levels, or a retried call, never counts consumption twice or loses it).
        var batchId = $"{_workerId}:{++_sequence}";
        var keys = areas.Communities.Keys.ToArray();
        var communities = areas.Communities.Values.ToArray();
        var batches = new IndicatorBatch[communities.Length];
        for (var i = 0; i < communities.Length; i++)
        {
            batches[i] = communities[i].ToBatch() with { BatchId = batchId };
        }

        var totals = await CallAllAsync(communities.Length, i => _grains.Community(keys[i]).Apply(batches[i].AsImmutable()));

        // 5. Districts and the city: the communities' batches as parts (not copied), with the communities' totals.
        var districts = new Dictionary<string, (List<IndicatorBatch> Parts, List<SourceTotal> Totals)>(StringComparer.Ordinal);
        for (var i = 0; i < communities.Length; i++)
        {
            if (!districts.TryGetValue(communities[i].District, out var district))
            {
                districts[communities[i].District] = district = ([], []);
            }

            district.Parts.Add(batches[i]);
            district.Totals.AddRange(totals[i]);
        }

        var calls = new List<Func<Task>>(districts.Count + 1);
        foreach (var (district, (parts, districtTotals)) in districts)
        {
            var payload = new IndicatorBatch([], []) { Parts = parts.ToArray(), Totals = districtTotals.ToArray(), BatchId = batchId }.AsImmutable();
            var reference = _grains.District(district);
            calls.Add(() => reference.Apply(payload));
        }

        if (communities.Length > 0)
        {
            var payload = new IndicatorBatch([], []) { Parts = batches, Totals = totals.SelectMany(t => t).ToArray(), BatchId = batchId }.AsImmutable();
            var city = _grains.City;
            calls.Add(() => city.Apply(payload));
        }

        await ForEachWithRetryAsync(calls.Count, i => calls[i]());

        if (_rawReadings)
        {
            WriteRaw(devices, results);
        }

        stats.Applied(batch.Messages, accepted, rejected);
    }

    /// <summary>
    /// One call per shard grain (<see cref="DeviceShards"/>) with the readings of its devices in the batch; returns
    /// each device's updates, in the order of <paramref name="devices"/>. Calls that failed are retried whole: a device
    /// tells a repeated reading.
    /// </summary>
    private async Task<DeviceUpdate[][]> ApplyToShardsAsync(DeviceAddress[] devices, DeviceReading[][] inputs)
    {
        // Count the devices per shard, then fill arrays of exactly that size.
        if (_shardOf.Length < devices.Length)
        {
            _shardOf = new int[Math.Max(devices.Length, _shardOf.Length * 2)];
            _position = new int[_shardOf.Length];
        }

        var shardOf = _shardOf;
        var position = _position;
        var shardIds = _shardIds;
        var sizes = _shardSizes;
        shardIds.Clear();
        sizes.Clear();
        for (var d = 0; d < devices.Length; d++)
        {
            var shard = DeviceShards.Of(devices[d].Device, _shardSlot.Length);
            if (_shardSlot[shard] < 0)
            {
                _shardSlot[shard] = shardIds.Count;
                shardIds.Add(shard);
                sizes.Add(0);
            }

            shardOf[d] = _shardSlot[shard];
            sizes[shardOf[d]]++;
        }

        var batches = new ShardBatch[shardIds.Count];
        for (var s = 0; s < batches.Length; s++)
        {
            batches[s] = new ShardBatch(new DeviceAddress[sizes[s]], new DeviceReading[sizes[s]][]);
            sizes[s] = 0;
            _shardSlot[shardIds[s]] = -1;
        }

        for (var d = 0; d < devices.Length; d++)
        {
            var s = shardOf[d];
            position[d] = sizes[s]++;
            batches[s].Devices[position[d]] = devices[d];
            batches[s].Readings[position[d]] = inputs[d];
        }

        // The worker applies one batch at a time, so the reused lists stay this batch's until the method returns.
        var results = await CallAllAsync(batches.Length, s => _grains.Shard(shardIds[s]).Apply(batches[s].AsImmutable()));
        var updates = new DeviceUpdate[devices.Length][];
        for (var d = 0; d < devices.Length; d++)
        {
            updates[d] = results[shardOf[d]].Value[position[d]];
        }

        return updates;
    }

    /// <summary>
    /// Runs <paramref name="call"/> for 0..count-1 with at most <see cref="IngestOptions.MaxConcurrentGrainCalls"/> in
    /// flight, retrying only the calls that failed for up to <see cref="IngestOptions.ApplyRetryFor"/>. A call that
    /// failed may still have applied (a timeout): device grains tell a repeated reading, areas a repeated batch by its id.
    /// </summary>
    private Task ForEachWithRetryAsync(int count, Func<int, Task> call) =>
        CallAllAsync(count, async i =>
        {
            await call(i);
            return true;
        });

    /// <summary>
    /// As <see cref="ForEachWithRetryAsync"/>, returning each call's result. A slice's calls are all started, then their
    /// own tasks awaited one by one: no state machine of ours per call (one device-grain call per device per batch), no
    /// WhenAll promise or result array per slice, and nothing at all for calls that completed synchronously.
    /// </summary>
    private async Task<T[]> CallAllAsync<T>(int count, Func<int, Task<T>> call)
    {
        var results = new T[count];
        List<int>? pending = null; // null: all of 0..count-1
        var started = DateTime.UtcNow;
        var backoff = TimeSpan.FromMilliseconds(100);
        var warned = false;
        for (var attempt = 1; ; attempt++)
        {
            var todo = pending?.Count ?? count;
            List<int>? failed = null;
            Exception? last = null;
            for (var start = 0; start < todo; start += _maxConcurrent)
            {
                var tasks = new Task<T>[Math.Min(_maxConcurrent, todo - start)];
                for (var i = 0; i < tasks.Length; i++)
                {
                    tasks[i] = Start(call, pending is null ? start + i : pending[start + i]);
                }

                for (var i = 0; i < tasks.Length; i++)
                {
                    var index = pending is null ? start + i : pending[start + i];
                    try
                    {
                        results[index] = await tasks[i];
                    }
                    catch (Exception ex)
                    {
                        // Only the calls that failed are retried.
                        (failed ??= []).Add(index);
                        last = ex;
                    }
                }
            }

            if (failed is null)
            {
                if (warned)
                {
                    LogRetrySucceeded(count, attempt, (DateTime.UtcNow - started).TotalSeconds);
                }

                return results;
            }

            if (DateTime.UtcNow - started + backoff > _retryFor)
            {
                throw new AggregateException($"{failed.Count} grain calls still failed after {attempt} attempts in {_retryFor.TotalSeconds:0.#} s: {Describe(last)}", last!);
            }

            var now = Environment.TickCount64;
            if (_retryLoggedAt == long.MinValue || now - _retryLoggedAt >= (long)RetryLogInterval.TotalMilliseconds)
            {
                LogRetrying(failed.Count, attempt, (DateTime.UtcNow - started).TotalSeconds, _retriesNotLogged, Describe(last));
                _retryLoggedAt = now;
                _retriesNotLogged = 0;
                warned = true;
            }
            else
            {
                _retriesNotLogged++;
            }
            await Task.Delay(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            pending = failed;
        }
    }

    /// <summary>
    /// An exception's type and the start of its message: Orleans' rejections carry the whole rejected message, hundreds
    /// of characters that differ per call.
    /// </summary>
    private static string Describe(Exception? ex)
    {
        if (ex is null)
        {
            return "unknown";
        }

        var message = ex.Message;
        var cut = message.IndexOf(" The rejected message is", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" for message: ", StringComparison.Ordinal);
        }

        if (cut > 0)
        {
            message = message[..cut];
        }

        if (message.Length > MaxErrorLength)
        {
            message = string.Concat(message.AsSpan(0, MaxErrorLength), "...");
        }

        return $"{ex.GetType().Name}: {message}";
    }

    private static int ShardCount(IOptions<DeviceOptions> options) => Math.Max(1, options.Value.Shards);

    /// <summary>A call that throws before returning its task fails like one whose task faults: it is retried.</summary>
    private static Task<T> Start<T>(Func<int, Task<T>> call, int index)
    {
        try
        {
            return call(index);
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    private void WriteRaw(DeviceAddress[] devices, DeviceUpdate[][] results)
    {
        _rawLines.Clear();
        for (var d = 0; d < devices.Length; d++)
        {
            var address = devices[d];
            foreach (var update in results[d])
            {
                if (!update.CountsInWindow)
                {
                    // Raw points are readings applied: not duplicates (a seq repeat with another ts would add a point), not late ones.
                    continue;
                }

                InfluxSchema.DeviceReading(_rawLines, address, update.Metrics, update.TimestampMs);
            }
        }

        sink.Write(_rawLines.Written, _rawLines.Lines);
    }

    private async Task AcknowledgeAsync(IReadOnlyList<MqttApplicationMessageReceivedEventArgs> acks)
    {
        foreach (var ack in acks)
        {
            try
            {
                await ack.AcknowledgeAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The broker redelivers an unacknowledged message after reconnecting: at-least-once, not loss.
                LogAckFailed(ex);
            }
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Applying a batch of {Readings} readings failed; its publishers are not acknowledged ({NotLogged} more batches failed since the last report)")]
    private partial void LogApplyFailed(Exception ex, int readings, int notLogged);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "{Calls} grain calls failed (attempt {Attempt}, {Seconds:0.0} s), retrying ({NotLogged} more retries since the last report): {Error}")]
    private partial void LogRetrying(int calls, int attempt, double seconds, int notLogged, string error);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "{Calls} grain calls succeeded after {Attempts} attempts in {Seconds:0.0} s")]
    private partial void LogRetrySucceeded(int calls, int attempts, double seconds);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Acknowledging a message to the broker failed; it will be redelivered")]
    private partial void LogAckFailed(Exception ex);
}
