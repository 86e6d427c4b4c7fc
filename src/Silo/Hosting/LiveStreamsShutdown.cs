using CitySense.Live;

namespace CitySense.Silo.Hosting;

/// <summary>
/// Tells the live stream publisher the moment the silo stops being active, before Orleans deactivates grains (whose
/// last windows produce live updates) and before placement stops finding this silo. Hosted-service order cannot say
/// that: the publisher outlives Orleans' own hosted service on purpose, so updates of the drain still go out.
/// </summary>
internal sealed class LiveStreamsShutdown(StreamPublisher publisher) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(LiveStreamsShutdown),
        ServiceLifecycleStage.Active,
        _ => Task.CompletedTask,
        _ => publisher.StopPublishingAsync());
}
