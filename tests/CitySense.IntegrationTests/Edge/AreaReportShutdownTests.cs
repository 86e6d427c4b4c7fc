using CitySense.Contracts.Areas;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Runtime.Diagnostics;
using Xunit;

namespace CitySense.IntegrationTests.Edge;

/// <summary>
/// A community reports its device and alarm counts to its district from a timer. Orleans 10.4 deactivates all grains of
/// a stopping silo at once, so a report made then could reach a district already deactivated: on a single silo there is
/// no other silo to place it on, and Orleans logged "Failed to address message" at Error (with Polly's retry warnings).
/// Areas stop reporting when the silo starts to stop (AreaReports).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AreaReportShutdownTests
{
    // Short: Orleans' own timers run on the same clock and warn when a step of it leaves them late by seconds.
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_report_due_while_the_silo_stops_is_not_sent_to_a_district_being_deactivated()
    {
        // Grain timers run on the host's clock: the community's liveness check (which reports) fires only when told.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var held = new ReportHold();
        var log = new WarningLog();
        var district = "stop-report-d";
        var communityKey = $"{district}/c1";
        TickDuringStop? tick = null;
        await using var instance = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Liveness:CheckInterval"] = CheckInterval.ToString(),
        }, clock, builder =>
        {
            builder.Services.AddSingleton<IOutgoingGrainCallFilter>(held);
            builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
                tick = new TickDuringStop(clock, sp.GetRequiredService<IGrainFactory>().GetGrain<ICommunityGrain>(communityKey).GetGrainId(), held));
            // Polly's placement retries wait on the host's clock, this test's fake one: without them a placement that
            // finds no silo fails at once instead of waiting for a clock that does not move.
            builder.Services.Configure<SiloMessagingOptions>(o => o.PlacementMaxRetries = 0);
            builder.Logging.AddProvider(log);
        });
        var grains = instance.Services.GetRequiredService<IGrainFactory>();
        var districtGrain = grains.GetGrain<IDistrictGrain>(district);
        await districtGrain.GetSnapshot();
        // A new device changes the community's counts: its next liveness check reports them to the district.
        await grains.GetGrain<ICommunityGrain>(communityKey).AddDevice("stop-report-w1", "water", CheckInterval);
        var atStart = log.Entries.Count;

        // A report that did start anyway is held until the district has been deactivated, then sent.
        using (GrainLifecycleEvents.AllEvents.Subscribe(new ReleaseWhenDeactivated(held, districtGrain.GetGrainId())))
        {
            await instance.StopAsync();
        }

        Assert.True(tick is { Ran: true }, "the community's liveness check did not run while the silo stopped");
        var stop = log.Entries.Skip(atStart).ToArray();
        Assert.True(stop.Length == 0, $"the stop logged:\n{string.Join('\n', stop)}");
        Assert.False(held.Held, "the community reported to its district after the silo had started to stop");
    }

    /// <summary>Holds a community's report to its district until released.</summary>
    private sealed class ReportHold : IOutgoingGrainCallFilter
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Held => _held.Task.IsCompleted;

        public Task HeldTask => _held.Task;

        public void Release() => _release.TrySetResult();

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.InterfaceMethod?.DeclaringType == typeof(IDistrictGrain) && context.MethodName == nameof(IDistrictGrain.ReportSummary))
            {
                _held.TrySetResult();
                // A deadline instead of a hang if the district never deactivates; the test fails on Held then.
                await _release.Task.WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            await context.Invoke();
        }
    }

    /// <summary>
    /// After the silo has started to stop and before its grains deactivate (silo stage BecomeActive), fires the
    /// community's liveness check and waits until it has run or its report is held.
    /// </summary>
    private sealed class TickDuringStop(FakeTimeProvider clock, GrainId community, ReportHold held) : ILifecycleParticipant<ISiloLifecycle>, IObserver<GrainTimerEvents.TimerEvent>
    {
        private readonly TaskCompletionSource _ticked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Ran { get; private set; }

        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(TickDuringStop), ServiceLifecycleStage.BecomeActive, _ => Task.CompletedTask, StopAsync);

        private async Task StopAsync(CancellationToken cancellationToken)
        {
            using (GrainTimerEvents.AllEvents.Subscribe(this))
            {
                clock.Advance(CheckInterval);
                await Task.WhenAny(_ticked.Task, held.HeldTask).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            Ran = true;
        }

        public void OnNext(GrainTimerEvents.TimerEvent value)
        {
            if (value is GrainTimerEvents.TickStop && value.GrainContext.GrainId == community)
            {
                _ticked.TrySetResult();
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    /// <summary>Releases the held report once the district has been deactivated.</summary>
    private sealed class ReleaseWhenDeactivated(ReportHold held, GrainId district) : IObserver<GrainLifecycleEvents.LifecycleEvent>
    {
        public void OnNext(GrainLifecycleEvents.LifecycleEvent value)
        {
            if (value is GrainLifecycleEvents.Deactivated deactivated && deactivated.GrainContext.GrainId == district)
            {
                held.Release();
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
