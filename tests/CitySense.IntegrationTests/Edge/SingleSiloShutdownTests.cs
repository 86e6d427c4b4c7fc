using CitySense.Contracts.Areas;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Diagnostics;
using Xunit;

namespace CitySense.IntegrationTests.Edge;

/// <summary>
/// Orleans 10.4 moves an activation that still has requests queued when its silo shuts down to another silo, so the
/// requests follow it. The embedded host is a single silo: asking placement for another one fails, and Orleans logged
/// that as an error ("Error while selecting a migration destination") whenever a stop caught an area grain busy, with
/// its own flush tick or a community's report queued behind the call it was running (QuietLogTests, now and then).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SingleSiloShutdownTests
{
    [Fact]
    public async Task A_grain_with_a_request_queued_when_the_single_silo_stops_is_not_offered_to_another_silo()
    {
        var gate = new FirstCallGate();
        var log = new WarningLog();
        await using var instance = await CitySenseInstance.StartAsync(new Dictionary<string, string?>(), configure: builder =>
        {
            builder.Services.AddSingleton<IIncomingGrainCallFilter>(gate);
            builder.Logging.AddProvider(log);
        });
        var district = instance.Services.GetRequiredService<IGrainFactory>().GetGrain<IDistrictGrain>("shutdown-queue-d");
        gate.Hold(district.GetGrainId());

        var running = district.GetSnapshot();
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        // Area grains are not reentrant: this one waits in the activation's queue until the held call returns, which is
        // after the silo has started to deactivate the grain (the gate opens then), so it is still queued at deactivation.
        var queued = district.GetSnapshot();
        using (GrainLifecycleEvents.AllEvents.Subscribe(new OpenOnShutdown(gate, district.GetGrainId())))
        {
            await instance.StopAsync();
        }

        await running.WaitAsync(TimeSpan.FromSeconds(30));
        // The queued request is refused at once (the silo is stopping; its caller may retry). What it must not do is
        // send Orleans looking for another silo.
        await Assert.ThrowsAsync<SiloUnavailableException>(() => queued.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(gate.OpenedByShutdown, "the held call was released by something other than the silo's shutdown");
        var migration = log.Entries.Where(e => e.Contains("migrat", StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.True(migration.Length == 0, $"Orleans tried to migrate at shutdown:\n{string.Join('\n', log.Entries)}");
    }

    /// <summary>Holds the first call to one grain until the test opens the gate.</summary>
    private sealed class FirstCallGate : IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private GrainId? _grain;
        private int _held;

        public Task Entered => _entered.Task;

        public bool OpenedByShutdown { get; private set; }

        public void Hold(GrainId grain) => _grain = grain;

        public void OpenOnShutdown()
        {
            OpenedByShutdown = true;
            _open.TrySetResult();
        }

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.TargetId == _grain && Interlocked.Exchange(ref _held, 1) == 0)
            {
                _entered.TrySetResult();
                await _open.Task;
            }

            await context.Invoke();
        }
    }

    /// <summary>Opens the gate the moment the silo's shutdown starts deactivating the held grain.</summary>
    private sealed class OpenOnShutdown(FirstCallGate gate, GrainId grain) : IObserver<GrainLifecycleEvents.LifecycleEvent>
    {
        public void OnNext(GrainLifecycleEvents.LifecycleEvent value)
        {
            if (value is GrainLifecycleEvents.Deactivating deactivating && deactivating.GrainContext.GrainId == grain
                && deactivating.Reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
            {
                gate.OpenOnShutdown();
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
