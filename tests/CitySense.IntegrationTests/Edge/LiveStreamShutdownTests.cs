using CitySense.Contracts.Live;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Streaming.Diagnostics;
using Orleans.Streams;
using Xunit;

namespace CitySense.IntegrationTests.Edge;

/// <summary>
/// Each pulling agent of the live memory streams reads its queue every 100 ms. Orleans 10.4 cancels a read in flight
/// when the agent stops, and logged that twice at Error (MemoryAdapterReceiver, then the agent's retry) whenever a stop
/// caught one (QuietLogTests, now and then). CitySense lets the read finish (UncancelledMemoryQueueReads).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LiveStreamShutdownTests
{
    [Fact]
    public async Task A_queue_read_in_flight_when_the_silo_stops_finishes_and_the_stop_logs_nothing()
    {
        var gate = new ReadGate();
        var log = new WarningLog();
        await using var instance = await CitySenseInstance.StartAsync(new Dictionary<string, string?>(), configure: builder =>
        {
            builder.Services.AddSingleton<IIncomingGrainCallFilter>(gate);
            builder.Logging.AddProvider(log);
        });
        var silo = instance.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var queues = instance.Services.GetRequiredService<IOptionsMonitor<HashRingStreamQueueMapperOptions>>().Get(LiveStreams.Provider).TotalQueueCount;

        // What the in-process host says at start (no server GC in a test process) is not this test's business.
        var atStart = log.Entries.Count;
        gate.HoldNext();
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        // The held read is still in flight when its agent stops: the gate opens only once every agent of this silo has
        // disposed its pump timer, which is what cancels a read.
        using (StreamingEvents.AllEvents.Subscribe(new OpenWhenAgentsStop(gate, silo, queues)))
        {
            await instance.StopAsync();
        }

        Assert.True(gate.OpenedByAgentsStop, "the held read was released by something other than the agents' stop");
        var stop = log.Entries.Skip(atStart).ToArray();
        Assert.True(stop.Length == 0, $"the stop logged:\n{string.Join('\n', stop)}");
    }

    /// <summary>Holds the next read of a live memory stream queue until every pulling agent has stopped.</summary>
    private sealed class ReadGate : IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public Task Entered => _entered.Task;

        public bool OpenedByAgentsStop { get; private set; }

        public void HoldNext() => Volatile.Write(ref _armed, 1);

        public void OpenOnAgentsStop()
        {
            OpenedByAgentsStop = true;
            _open.TrySetResult();
        }

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is IMemoryStreamQueueGrain && context.MethodName == nameof(IMemoryStreamQueueGrain.Dequeue)
                && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _entered.TrySetResult();
                // A deadline instead of a hang if the agents never stop; the test then fails on OpenedByAgentsStop.
                await _open.Task.WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            await context.Invoke();
        }
    }

    /// <summary>Opens the gate when the last pulling agent of the live streams on this silo has stopped.</summary>
    private sealed class OpenWhenAgentsStop(ReadGate gate, SiloAddress silo, int queues) : IObserver<StreamingEvents.StreamingEvent>
    {
        private readonly HashSet<QueueId> _stopped = [];

        public void OnNext(StreamingEvents.StreamingEvent value)
        {
            if (value is StreamingEvents.PullingAgentStopped stopped && stopped.StreamProvider == LiveStreams.Provider && silo.Equals(stopped.SiloAddress))
            {
                lock (_stopped)
                {
                    if (_stopped.Add(stopped.QueueId) && _stopped.Count == queues)
                    {
                        gate.OpenOnAgentsStop();
                    }
                }
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
