using System.Buffers;
using CitySense.Contracts.Telemetry;
using CitySense.Ingest;
using CitySense.Ingest.Pipeline;
using CitySense.UnitTests.Support;
using CitySense.Ingest.Settings;
using CitySense.Ingest.Batches;

namespace CitySense.UnitTests.Pipeline;

/// <summary>
/// The queue between the MQTT edge and the worker. No worker runs here: the test plays the worker by calling Take and
/// Complete itself, so every step happens when the test says. Waits have a deadline and never a fixed delay.
/// </summary>
public sealed class IngestPipelineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly DecoderHarness _decoding = new();
    private readonly IngestStats _stats = new(TestMeters.Factory);

    [Fact]
    public void Nothing_is_taken_before_anything_was_submitted()
    {
        var pipeline = Pipeline(maxBatchReadings: 1, maxQueuedBatches: 1);

        Assert.Null(pipeline.Take(out _));
    }

    [Fact]
    public async Task Producers_wait_while_the_queue_is_full_and_continue_once_a_batch_is_taken()
    {
        var pipeline = Pipeline(maxBatchReadings: 1, maxQueuedBatches: 1);
        var firstApplied = (await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null)).Applied;
        Assert.Equal(1, pipeline.QueuedBatches);

        var secondSubmit = pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(2), clientId: null);
        var thirdSubmit = pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(3), clientId: null);

        Assert.False(secondSubmit.IsCompleted);
        Assert.False(thirdSubmit.IsCompleted);
        var second = secondSubmit.AsTask();
        var third = thirdSubmit.AsTask();

        var firstBatch = pipeline.Take(out _);

        Assert.NotNull(firstBatch);
        Assert.Same(firstApplied, firstBatch.Applied);
        Assert.Equal([1UL], Seqs(firstBatch));

        // One batch left the queue, so exactly one waiting producer gets in; which one is up to the scheduler.
        var admitted = await Task.WhenAny(second, third).WaitAsync(Deadline);
        var stillWaiting = admitted == second ? third : second;
        Assert.Equal(1, pipeline.QueuedBatches);
        // Checked while the queue is full: once the next batch is taken, the other producer may get in at any moment.
        Assert.False(stillWaiting.IsCompleted);

        var secondBatch = pipeline.Take(out _);
        Assert.NotNull(secondBatch);
        Assert.Same((await admitted).Applied, secondBatch.Applied);

        await stillWaiting.WaitAsync(Deadline);
        var thirdBatch = pipeline.Take(out _);
        Assert.NotNull(thirdBatch);
        Assert.Equal([1UL, 2UL, 3UL], Seqs(firstBatch).Concat(Seqs(secondBatch)).Concat(Seqs(thirdBatch)).Order().ToArray());
    }

    [Fact]
    public async Task A_waiting_producer_decodes_its_own_copy_of_the_payload()
    {
        var pipeline = Pipeline(maxBatchReadings: 1, maxQueuedBatches: 1);
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null);
        var buffer = JsonPayload.Bytes("{'ts':1740829800002,'seq':2,'total':2}");

        var waiting = pipeline.SubmitAsync(DecoderHarness.WaterTopic, new ReadOnlySequence<byte>(buffer), clientId: null);
        // MQTTnet may reuse its receive buffer as soon as the handler yields.
        JsonPayload.Bytes("{'ts':1740829800009,'seq':9,'total':9}").CopyTo(buffer, 0);
        pipeline.Take(out _);
        await waiting.AsTask().WaitAsync(Deadline);

        var batch = pipeline.Take(out _);
        Assert.NotNull(batch);
        Assert.Equal([2UL], Seqs(batch));
    }

    [Fact]
    public async Task A_batch_is_applied_only_when_the_worker_completes_it()
    {
        var pipeline = Pipeline(maxBatchReadings: 1, maxQueuedBatches: 1);
        var applied = (await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null)).Applied;
        Assert.False(applied.IsCompleted);

        var batch = pipeline.Take(out _);

        Assert.NotNull(batch);
        Assert.False(applied.IsCompleted);

        batch.Complete(null);

        await applied.WaitAsync(Deadline);
        Assert.True(applied.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_batch_that_could_not_be_applied_faults_every_message_in_it()
    {
        var pipeline = Pipeline(maxBatchReadings: 2, maxQueuedBatches: 1);
        var first = (await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null)).Applied;
        var second = (await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(2), clientId: null)).Applied;
        Assert.Same(first, second);
        var failure = new InvalidOperationException("silo unreachable");

        pipeline.Take(out _)!.Complete(failure);

        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => first.WaitAsync(Deadline)));
    }

    [Fact]
    public async Task An_idle_worker_takes_the_open_batch_before_it_is_full()
    {
        var pipeline = Pipeline(maxBatchReadings: 100, maxQueuedBatches: 1);
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null);
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(2), clientId: null);
        Assert.Equal(0, pipeline.QueuedBatches);

        var batch = pipeline.Take(out _);

        Assert.NotNull(batch);
        Assert.Equal([1UL, 2UL], Seqs(batch));
        Assert.Equal(2, batch.Messages);
        Assert.Null(pipeline.Take(out _));
    }

    [Fact]
    public async Task Sealed_batches_are_taken_oldest_first()
    {
        var pipeline = Pipeline(maxBatchReadings: 1, maxQueuedBatches: 3);
        for (var n = 1; n <= 3; n++)
        {
            await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(n), clientId: null);
        }

        Assert.Equal(3, pipeline.QueuedBatches);
        Assert.Equal([1UL], Seqs(pipeline.Take(out _)!));
        Assert.Equal([2UL], Seqs(pipeline.Take(out _)!));
        Assert.Equal([3UL], Seqs(pipeline.Take(out _)!));
        Assert.Null(pipeline.Take(out _));
    }

    [Fact]
    public async Task A_refused_message_still_rides_a_batch_so_its_community_counts_it()
    {
        var pipeline = Pipeline(maxBatchReadings: 100, maxQueuedBatches: 1);

        var applied = (await pipeline.SubmitAsync(DecoderHarness.WaterTopic, JsonPayload.Sequence("{'total':1}"), clientId: null)).Applied;

        var batch = pipeline.Take(out _);
        Assert.NotNull(batch);
        Assert.Same(applied, batch.Applied);
        Assert.Equal(0, batch.Count);
        Assert.Equal(RejectionReason.MissingTimestamp, Assert.Single(batch.Rejections).Reason);
        Assert.Equal((1L, 0L), (_stats.Messages, _stats.ReadingsDecoded));
    }

    [Fact]
    public async Task A_submitted_message_wakes_the_worker()
    {
        var pipeline = Pipeline(maxBatchReadings: 100, maxQueuedBatches: 1);
        var work = pipeline.WaitForWorkAsync(CancellationToken.None);
        Assert.False(work.IsCompleted);

        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null);

        await work.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Completing_the_pipeline_refuses_new_and_waiting_messages_but_keeps_what_is_queued()
    {
        var pipeline = Pipeline(maxBatchReadings: 1, maxQueuedBatches: 1);
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null);
        var waiting = pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(2), clientId: null);

        pipeline.Complete();

        await Assert.ThrowsAsync<InvalidOperationException>(() => waiting.AsTask().WaitAsync(Deadline));
        Assert.Throws<InvalidOperationException>(() => { _ = pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(3), clientId: null); });
        Assert.Equal([1UL], Seqs(pipeline.Take(out _)!));
        Assert.Null(pipeline.Take(out _));
    }

    [Fact]
    public async Task A_returned_batch_is_reused_empty_with_a_new_applied_task()
    {
        var pipeline = Pipeline(maxBatchReadings: 1, maxQueuedBatches: 2);
        var firstApplied = (await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null)).Applied;
        var first = pipeline.Take(out _)!;
        first.Complete(null);
        pipeline.Return(first);

        // The open batch was rented when the first one was sealed; the returned one is rented at the next seal.
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(2), clientId: null);
        var reusedApplied = (await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(3), clientId: null)).Applied;
        pipeline.Take(out _);
        var reused = pipeline.Take(out _)!;

        Assert.Same(first, reused);
        Assert.Equal([3UL], Seqs(reused));
        Assert.Empty(reused.Rejections);
        Assert.Equal(1, reused.Messages);
        Assert.NotSame(firstApplied, reusedApplied);
        Assert.True(firstApplied.IsCompletedSuccessfully);
        Assert.False(reusedApplied.IsCompleted);
    }

    [Fact]
    public async Task An_open_batch_gathers_for_the_batch_delay_after_its_first_message_then_is_taken()
    {
        var now = 0L;
        var pipeline = Pipeline(maxBatchReadings: 100, maxQueuedBatches: 2, batchDelay: TimeSpan.FromMilliseconds(5));
        pipeline.Clock = () => now;
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null);

        now += Ticks(3);
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(2), clientId: null);
        Assert.Null(pipeline.Take(out var finished, out var gather));
        Assert.False(finished);
        // Counted from the first message, not the newest.
        Assert.Equal(2.0, gather.TotalMilliseconds, precision: 3);

        now += Ticks(2);
        var batch = pipeline.Take(out _, out gather);
        Assert.Equal([1UL, 2UL], Seqs(batch!));
        Assert.Equal(TimeSpan.Zero, gather);

        // Whole milliseconds, never zero while the batch is kept: a worker told "zero" would wait for a wake-up instead.
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(10), clientId: null);
        now += Ticks(5) - 1;
        Assert.Null(pipeline.Take(out _, out gather));
        Assert.Equal(TimeSpan.FromMilliseconds(1), gather);
        now += 1;
        Assert.Equal([10UL], Seqs(pipeline.Take(out _, out _)!));

        // The next batch's delay starts with its own first message.
        now += Ticks(50);
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(3), clientId: null);
        Assert.Null(pipeline.Take(out _, out gather));
        Assert.Equal(5.0, gather.TotalMilliseconds, precision: 3);
    }

    [Fact]
    public async Task A_full_batch_and_a_completed_pipeline_do_not_wait_for_the_batch_delay()
    {
        var pipeline = Pipeline(maxBatchReadings: 2, maxQueuedBatches: 2, batchDelay: TimeSpan.FromHours(1));
        pipeline.Clock = () => 0;
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null);
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(2), clientId: null);
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(3), clientId: null);

        Assert.Equal([1UL, 2UL], Seqs(pipeline.Take(out _, out _)!));
        Assert.Null(pipeline.Take(out _, out var gather));
        Assert.True(gather > TimeSpan.Zero);

        pipeline.Complete();
        Assert.Equal([3UL], Seqs(pipeline.Take(out var finished, out gather)!));
        Assert.False(finished);
        Assert.Equal(TimeSpan.Zero, gather);
        Assert.Null(pipeline.Take(out finished, out _));
        Assert.True(finished);
    }

    [Fact]
    public async Task A_message_refused_at_its_topic_is_settled_at_once_though_the_open_batch_stays_empty()
    {
        var pipeline = Pipeline(maxBatchReadings: 10, maxQueuedBatches: 1);

        var refused = await pipeline.SubmitAsync("city/d1/c1/water/bad id!", Reading(1), clientId: null);

        Assert.True(refused.Result.RefusedWhole);
        Assert.Equal(RejectionReason.InvalidId, refused.Result.FirstRejection);
        // Nothing was added for the worker to take, so nothing would ever complete a wait on the batch.
        Assert.True(refused.Applied.IsCompletedSuccessfully);
        Assert.Null(pipeline.Take(out _));
    }

    [Fact]
    public async Task A_message_refused_in_its_payload_rides_the_batch_so_its_rejection_reaches_the_indicators()
    {
        var pipeline = Pipeline(maxBatchReadings: 10, maxQueuedBatches: 1);

        var refused = await pipeline.SubmitAsync(DecoderHarness.WaterTopic, JsonPayload.Sequence("{'total':1}"), clientId: null);

        Assert.Equal(new Ingest.Decoding.DecodeResult(0, 1, RejectionReason.MissingTimestamp), refused.Result);
        var batch = pipeline.Take(out _);
        Assert.NotNull(batch);
        Assert.Same(batch.Applied, refused.Applied);
        Assert.Single(batch.Rejections);
    }

    [Fact]
    public async Task TrySubmit_refuses_without_waiting_while_the_queue_is_full_and_takes_again_once_a_batch_leaves()
    {
        var pipeline = Pipeline(maxBatchReadings: 1, maxQueuedBatches: 1);
        await pipeline.SubmitAsync(DecoderHarness.WaterTopic, Reading(1), clientId: null);

        Assert.False(pipeline.TrySubmit(DecoderHarness.WaterTopic, Reading(2), clientId: null, out _));
        Assert.NotNull(pipeline.Take(out _));
        Assert.True(pipeline.TrySubmit(DecoderHarness.WaterTopic, Reading(3), clientId: null, out var taken));

        Assert.Equal(1, taken.Result.Accepted);
        Assert.Equal([3UL], Seqs(pipeline.Take(out _)!));
    }

    private static long Ticks(int milliseconds) => milliseconds * System.Diagnostics.Stopwatch.Frequency / 1000;

    // No batch delay unless a test asks: the other tests take batches the moment they want them.
    private IngestPipeline Pipeline(int maxBatchReadings, int maxQueuedBatches, TimeSpan batchDelay = default) => new(
        _decoding.Decoder,
        _stats,
        Microsoft.Extensions.Options.Options.Create(new IngestOptions { MaxBatchReadings = maxBatchReadings, MaxQueuedBatches = maxQueuedBatches, BatchDelay = batchDelay }));

    /// <summary>A reading of meter w1 whose seq (and value) is n, so batches can be told apart by their seqs.</summary>
    private static ReadOnlySequence<byte> Reading(int n) => JsonPayload.Sequence($"{{'ts':{1_740_829_800_000 + n},'seq':{n},'total':{n}}}");

    private static ulong[] Seqs(ReadingBatch batch) => batch.Readings.ToArray().Select(r => r.Seq).ToArray();
}
