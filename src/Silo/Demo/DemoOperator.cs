using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Simulation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CitySense.Silo.Demo;

/// <summary>
/// The demo's operator: acknowledges the simulated city's alarms that nobody acknowledged within
/// <see cref="SimulatorOptions.AcknowledgeAfter"/>, so a newcomer watching the screen sees alarms raised, acknowledged
/// and cleared without doing anything. It acts through the community grain's workflow, as the API's acknowledge does,
/// and is recorded as <see cref="Name"/>. Critical alarms are left to the person watching while they are active. In the
/// silo, not the MQTT edge with the simulator: the edge never calls grains (docs/architecture.md).
/// </summary>
public sealed partial class DemoOperator(IOptions<SimulatorOptions> options, IGrainFactory grains, TimeProvider time, ILogger<DemoOperator> logger) : BackgroundService
{
    public const string Name = "demo operator";

    private const string Note = "acknowledged by the demo's operator (Demo:AcknowledgeAfter)";

    /// <summary>How often the simulated city's alarm lists are read: a few grain calls, well under a second's reaction.</summary>
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    /// <summary>Whether the demo operator acknowledges this alarm now.</summary>
    public static bool ShouldAcknowledge(AlarmRecord record, long nowMs, TimeSpan after)
    {
        var afterMs = (long)after.TotalMilliseconds;
        return record.Status.Condition switch
        {
            AlarmCondition.ActiveUnacknowledged => record.Alarm.Severity != AlarmSeverity.Critical && nowMs - record.Status.RaisedAtMs >= afterMs,
            AlarmCondition.ClearedUnacknowledged => nowMs - Math.Max(record.Status.RaisedAtMs, record.Alarm.EndMs ?? 0) >= afterMs,
            _ => false,
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.AcknowledgeAfter <= TimeSpan.Zero)
        {
            return;
        }

        var communities = CitySimulator.Communities(o).Select(c => AreaKeys.Community(c.District, c.Community)).ToArray();
        using var timer = new PeriodicTimer(Every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
        {
            foreach (var key in communities)
            {
                try
                {
                    await AcknowledgeDueAsync(grains.GetGrain<ICommunityGrain>(key), o.AcknowledgeAfter);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The next round tries again: a demo must not stop the silo, nor fill its log at a restart.
                    LogFailed(key, ex.Message);
                }
            }
        }
    }

    private async Task AcknowledgeDueAsync(ICommunityGrain community, TimeSpan after)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var record in await community.GetOpenAlarms())
        {
            if (ShouldAcknowledge(record, now, after))
            {
                // Refused means somebody (or the rule, closing it) got there first: nothing to do.
                var decision = await community.OperateAlarm(record.Status.AlarmId, new AlarmCommand(AlarmAction.Acknowledged, Name, null, Note));
                if (decision.Outcome == AlarmOutcome.Done)
                {
                    LogAcknowledged(record.Alarm.Type, record.Alarm.District, record.Alarm.Community, record.Alarm.Device);
                }
            }
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "Demo operator acknowledged {Type} of {District}/{Community} {Device}")]
    private partial void LogAcknowledged(string type, string district, string community, string device);

    [LoggerMessage(EventId = 511, Level = LogLevel.Debug, Message = "Demo operator could not read or acknowledge the alarms of {Community}: {Error}")]
    private partial void LogFailed(string community, string error);
}
