using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Sinks;
using CitySense.Sinks.LineProtocol;
using CitySense.Sinks.Output;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace CitySense.Ingest.Pipeline;

/// <summary>
/// Applies batches to the grains, one batch at a time so acknowledgements go out in arrival order:
/// readings grouped per device go to device grains (in parallel), their updates grouped per community, district and
/// city go to the area grains (one call per area per batch). Only then is the batch complete and acknowledged.
/// </summary>
public sealed partial class IngestWorker(
    IngestPipeline pipeline,
    IGrainFactory grains,
    ILineSink sink,
    IngestStats stats,
    IOptions<IndicatorOptions> indicatorOptions,
    IOptions<InfluxOptions> influxOptions,
    IOptions<IngestOptions> ingestOptions,
    ILogger<IngestWorker> logger) : BackgroundService
{
    private const int MaxAttempts = 5;

    private readonly IndicatorOptions _indicators = indicatorOptions.Value;
    private readonly bool _rawReadings = influxOptions.Value.RawReadings;
    private readonly int _maxConcurrent = Math.Max(1, ingestOptions.Value.MaxConcurrentGrainCalls);
    private readonly HashSet<string> _knownCommunities = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownDistricts = new(StringComparer.Ordinal);
    private readonly LineBuilder _rawLines = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var batch = pipeline.Take();
            if (batch is null)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    // Drained: everything accepted before shutdown was applied.
                    return;
                }

                try
                {
                    await pipeline.WaitForWorkAsync(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    pipeline.Complete();
                }

                continue;
            }

            await ProcessAsync(batch);
        }
    }

    private async Task ProcessAsync(ReadingBatch batch)
    {
        Exception? error = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                await ApplyAsync(batch);
                error = null;
                break;
            }
            catch (Exception ex)
            {
                error = ex;
                LogApplyFailed(ex, batch.Count, attempt, MaxAttempts);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
        }

        if (error is not null)
        {
            stats.Failed();
        }

        batch.Complete(error);
        if (error is null)
        {
            await AcknowledgeAsync(batch.Acks);
        }

        pipeline.Return(batch);
    }

    private async Task ApplyAsync(ReadingBatch batch)
    {
        // 1. Device grains: the readings of each device, in arrival order.
        var perDevice = new Dictionary<DeviceAddress, List<int>>(ReferenceEqualityComparer.Instance);
        var readings = batch.Readings;
        for (var i = 0; i < readings.Length; i++)
        {
            ref readonly var reading = ref readings[i];
            if (!perDevice.TryGetValue(reading.Address, out var indexes))
            {
                indexes = new List<int>(1);
                perDevice.Add(reading.Address, indexes);
            }

            indexes.Add(i);
        }

        var devices = new DeviceAddress[perDevice.Count];
        var calls = new Task<Immutable<DeviceUpdate[]>>[perDevice.Count];
        var receivedAt = new long[perDevice.Count];
        var n = 0;
        foreach (var (address, indexes) in perDevice)
        {
            var input = new DeviceReading[indexes.Count];
            for (var j = 0; j < input.Length; j++)
            {
                ref readonly var pending = ref batch.Readings[indexes[j]];
                input[j] = new DeviceReading(pending.TimestampMs, pending.Seq, pending.HasSeq, pending.ReceivedAtMs, batch.MetricsOf(pending).ToArray());
            }

            devices[n] = address;
            receivedAt[n] = batch.Readings[indexes[0]].ReceivedAtMs;
            if (n >= _maxConcurrent)
            {
                // Bounded in-flight calls: wait for the call issued _maxConcurrent places earlier.
                await calls[n - _maxConcurrent];
            }

            calls[n] = grains.GetGrain<IDeviceGrain>(address.Device).Apply(address, input.AsImmutable());
            n++;
        }

        await Task.WhenAll(calls);

        // 2. Group the updates per area.
        var areas = new AreaBatches();
        int accepted = 0, rejected = 0;
        for (var d = 0; d < devices.Length; d++)
        {
            var address = devices[d];
            foreach (var update in calls[d].Result.Value)
            {
                if (update.Accepted)
                {
                    areas.Add(address, update);
                    accepted++;
                }
                else
                {
                    areas.Reject(address.District, address.Community, address.Kind, update.Rejection, _indicators.WindowStart(receivedAt[d]));
                    rejected++;
                }
            }
        }

        foreach (var rejection in batch.Rejections)
        {
            areas.Reject(rejection.District, rejection.Community, rejection.Kind, rejection.Reason, _indicators.WindowStart(rejection.ReceivedAtMs));
        }

        // 3. Area grains: the city knows its districts and each district its communities before their numbers arrive.
        var registrations = new List<Task>();
        foreach (var (key, area) in areas.Communities)
        {
            if (_knownCommunities.Add(key))
            {
                registrations.Add(grains.GetGrain<IDistrictGrain>(area.District).RegisterCommunity(area.Community));
            }
        }

        foreach (var district in areas.Districts.Keys)
        {
            if (_knownDistricts.Add(district))
            {
                registrations.Add(grains.GetGrain<ICityGrain>(AreaKeys.City).RegisterDistrict(district));
            }
        }

        await Task.WhenAll(registrations);

        var applies = new List<Task>(areas.Communities.Count + areas.Districts.Count + 1);
        foreach (var (key, area) in areas.Communities)
        {
            applies.Add(grains.GetGrain<ICommunityGrain>(key).Apply(area.ToBatch().AsImmutable()));
        }

        foreach (var (district, area) in areas.Districts)
        {
            applies.Add(grains.GetGrain<IDistrictGrain>(district).Apply(area.ToBatch().AsImmutable()));
        }

        if (!areas.City.IsEmpty)
        {
            applies.Add(grains.GetGrain<ICityGrain>(AreaKeys.City).Apply(areas.City.ToBatch().AsImmutable()));
        }

        await Task.WhenAll(applies);

        if (_rawReadings)
        {
            WriteRaw(devices, calls);
        }

        stats.Applied(accepted, rejected);
    }

    private void WriteRaw(DeviceAddress[] devices, Task<Immutable<DeviceUpdate[]>>[] calls)
    {
        _rawLines.Clear();
        for (var d = 0; d < devices.Length; d++)
        {
            var address = devices[d];
            foreach (var update in calls[d].Result.Value)
            {
                if (!update.Accepted)
                {
                    continue;
                }

                _rawLines.Measurement("citysense_device")
                    .Tag("district", address.District)
                    .Tag("community", address.Community)
                    .Tag("kind", address.Kind)
                    .Tag("device", address.Device);
                foreach (var metric in update.Metrics)
                {
                    _rawLines.Field(metric.Name, metric.Value);
                }

                _rawLines.End(update.TimestampMs);
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

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Applying a batch of {Readings} readings failed (attempt {Attempt} of {MaxAttempts})")]
    private partial void LogApplyFailed(Exception ex, int readings, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Acknowledging a message to the broker failed; it will be redelivered")]
    private partial void LogAckFailed(Exception ex);
}
