using CitySense.Contracts.Routing;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Batches;
using CitySense.Ingest.Rejections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace CitySense.Ingest.Pipeline;

/// <summary>
/// Hands the pipeline's batches to the router (<see cref="IReadingRouter"/>), one batch at a time so acknowledgements
/// go out in arrival order, and settles each: an applied batch is acknowledged to its publishers (or the external
/// broker) and its refused readings are reported; a failed batch is not acknowledged: an external broker redelivers
/// it, an embedded-broker publisher gets an error PUBACK. Where the readings go is the router's business.
/// </summary>
public sealed partial class IngestWorker(
    IngestPipeline pipeline,
    IReadingRouter router,
    IngestStats stats,
    RejectionLog rejectionLog,
    ILogger<IngestWorker> logger) : BackgroundService
{
    // Repeated failures are summarised: at most one failed-batch error (event 200) per FailureLogInterval, with the
    // count of those not logged since. A silo retrying against an unreachable silo wrote an error with its stack trace
    // per batch.
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromSeconds(30);

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
            var result = await router.ApplyAsync(batch);
            Report(result.Refused);
            stats.Applied(batch.Messages, result.Accepted, result.Refused.Count);
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

    /// <summary>Readings their devices refused, for operators (GET /api/rejections), like those refused at decoding.</summary>
    private void Report(IReadOnlyList<DeviceRefusal> refused)
    {
        foreach (var refusal in refused)
        {
            var address = refusal.Address;
            rejectionLog.Record(refusal.Reason, address.ToString(), null, address.CommunityKey, address.Device,
                refusal.Reason switch
                {
                    RejectionReason.RegisterOutOfRange => "the register value is negative or beyond any meter's range",
                    RejectionReason.DeviceDecommissioned => "the device is decommissioned",
                    _ => "the device is registered to another district, community or kind",
                }, default);
        }
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

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Acknowledging a message to the broker failed; it will be redelivered")]
    private partial void LogAckFailed(Exception ex);
}
