namespace CitySense.Grains;

/// <summary>
/// The reports area grains make on their own to the level above (a community's device and alarm counts to its district,
/// a district's to the city, from their timers). They stop when the silo starts to stop, and the stop waits for those
/// under way, so that none reaches a grain that Orleans is deactivating.
/// </summary>
/// <remarks>
/// Orleans 10.4 deactivates every grain of a stopping silo at once (silo stage GrainDeactivation). A request queued at a
/// grain when it deactivates is forwarded (ActivationData.FinishDeactivating -> RerouteAllQueuedMessages), and a request
/// to a grain already deactivated is placed again; on the last silo of a cluster, which has left it by then, placement
/// finds no silo: Polly logs its retries as warnings, Orleans logs "Failed to address message" at Error, and the report
/// is refused anyway. A report skipped here is not lost: the child's counts live in its state, and a new activation has
/// reported nothing yet, so it reports them at its first timer.
/// </remarks>
public sealed class AreaReports : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _underWay;
    private bool _stopped;

    /// <summary>Runs the report unless the silo is stopping; true if it ran.</summary>
    public async Task<bool> TrySendAsync(Func<Task> report)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return false;
            }

            _underWay++;
        }

        try
        {
            await report();
            return true;
        }
        finally
        {
            lock (_lock)
            {
                if (--_underWay == 0 && _stopped)
                {
                    _drained.TrySetResult();
                }
            }
        }
    }

    /// <summary>No report starts from now on; completes when those under way have returned.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _stopped = true;
            if (_underWay == 0)
            {
                _drained.TrySetResult();
            }
        }

        return _drained.Task.WaitAsync(cancellationToken);
    }

    // Stage Active: the silo still serves every grain, so the reports under way complete normally; grains deactivate two
    // stages later.
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AreaReports), ServiceLifecycleStage.Active, _ => Task.CompletedTask, StopAsync);
}
