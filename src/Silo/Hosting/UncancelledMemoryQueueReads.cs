using Orleans.Streams;

namespace CitySense.Silo.Hosting;

/// <summary>
/// The live memory streams' queue adapter, except that a pulling agent's read of its queue is not cancelled when the
/// agent stops: the read finishes, and the stopped agent drops what it read.
/// </summary>
/// <remarks>
/// Orleans 10.4.2 passes a pulling agent's read the cancellation token of the agent's pump timer
/// (PersistentStreamPullingAgent.ReadFromQueue -> IQueueAdapterReceiver.GetQueueMessagesAsync(maxCount, token)), and the
/// first thing the agent's shutdown does, when the stream provider stops in silo stage Active, is dispose that timer,
/// which cancels the token. A memory queue read is one call to the queue's grain (IMemoryStreamQueueGrain.Dequeue) that
/// returns at once; cancelled in flight, the call fails with OperationCanceledException, which MemoryAdapterReceiver
/// logs at Error ("Exception thrown in MemoryAdapterFactory.GetQueueMessagesAsync", event 200402) before rethrowing,
/// and the agent's retry filter logs again at Error ("Exception while retrying the 0th time reading from queue", event
/// 103312) before it looks at the token. With 8 queues each read every 100 ms, a stop caught a read in flight now and
/// then: two errors in a clean stop. Not cancelled, the read returns within the call; the agent waits for its pump
/// before it finishes stopping anyway, and events still in a memory queue at a stop are lost either way.
/// </remarks>
internal sealed class UncancelledMemoryQueueReads(IQueueAdapterFactory memory) : IQueueAdapterFactory
{
    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        new Adapter(await memory.CreateAdapter(cancellationToken));

    public IQueueAdapterCache GetQueueAdapterCache() => memory.GetQueueAdapterCache();

    public IStreamQueueMapper GetStreamQueueMapper() => memory.GetStreamQueueMapper();

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => memory.GetDeliveryFailureHandler(queueId);

    private sealed class Adapter(IQueueAdapter memory) : IQueueAdapter
    {
        public string Name => memory.Name;

        public bool IsRewindable => memory.IsRewindable;

        public StreamProviderDirection Direction => memory.Direction;

        public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
            memory.QueueMessageBatchAsync(streamId, events, token, requestContext);

        public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new Receiver(memory.CreateReceiver(queueId));
    }

    private sealed class Receiver(IQueueAdapterReceiver memory) : IQueueAdapterReceiver
    {
        public Task Initialize(TimeSpan timeout) => memory.Initialize(timeout, CancellationToken.None);

        public Task Initialize(TimeSpan timeout, CancellationToken cancellationToken) => memory.Initialize(timeout, cancellationToken);

        [Obsolete("Use the overload which accepts a CancellationToken.")]
        public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

        // The agent's stop cancels this token (see the remarks); the read itself never waits, so it is not passed on.
        public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken) =>
            memory.GetQueueMessagesAsync(maxCount, CancellationToken.None);

        [Obsolete("Use the overload which accepts a CancellationToken.")]
        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) =>
            memory.MessagesDeliveredAsync(messages, cancellationToken);

        public Task Shutdown(TimeSpan timeout) => memory.Shutdown(timeout, CancellationToken.None);

        public Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken) => memory.Shutdown(timeout, cancellationToken);
    }
}
