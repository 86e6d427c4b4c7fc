using System.Buffers;
using CitySense.Contracts.Telemetry;
using CitySense.UnitTests.Support;

namespace CitySense.UnitTests.Hostile;

/// <summary>
/// What must hold for any input, however hostile: nothing escapes the decoder, the message is either decoded or
/// rejected with a reason (and counted exactly once per rejection), what it adds to the batch stays within the limits,
/// and one call allocates a bounded amount.
/// </summary>
internal static class DecoderInvariants
{
    /// <summary>
    /// Bytes one message may allocate whatever its size: the rejection record, its payload excerpt and detail, an
    /// exception from the JSON reader (about 6.5 KB at most was seen for the corpus)...
    /// </summary>
    public const long MaxAllocatedBytesPerMessage = 16 * 1024;

    /// <summary>
    /// ...plus, per reading of a gateway message, a fresh address when a device shows up away from where it was first
    /// seen (about 97 B was seen per reading): so a message allocates in proportion to the readings limit, never to its bytes.
    /// </summary>
    public const long MaxAllocatedBytesPerReading = 128;

    /// <summary>Decodes into an emptied batch, checks every invariant, and returns the batch written out (to compare decodes).</summary>
    /// <param name="firstSeenIds">
    /// Valid readings of devices and metric names never seen before: interning them (and growing the interner's table)
    /// is the price of a new device, paid once, so allocation is not bounded per call then.
    /// </param>
    public static string Check(DecoderHarness harness, string topic, in ReadOnlySequence<byte> payload, bool firstSeenIds = false)
    {
        harness.Batch.Reset();
        var loggedBefore = harness.Rejections.Total;
        var recentBefore = harness.Rejections.Recent().Count;

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var result = harness.Decoder.Decode(topic, payload, harness.Batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var logged = harness.Rejections.Total - loggedBefore;
        var options = harness.Options;
        var context = $"topic {Printable(topic)}, {payload.Length} bytes";
        Assert.True(result.Accepted + result.Rejected >= 1 || IsEmptyGatewayMessage(topic, payload), $"neither decoded nor rejected: {context}");
        Assert.True(result.Rejected == logged, $"{result.Rejected} rejections reported, {logged} counted: {context}");
        Assert.Equal(result.Accepted, harness.Batch.Count);
        Assert.InRange(harness.Batch.Count, 0, options.MaxReadingsPerMessage);
        Assert.InRange(harness.Batch.MetricCount, harness.Batch.Count, harness.Batch.Count * options.MaxMetricsPerReading);
        Assert.InRange(harness.Batch.Rejections.Count, 0, Math.Max(1, options.MaxReadingsPerMessage));
        Assert.All(harness.Batch.Rejections, r => Assert.NotEqual(RejectionReason.None, r.Reason));
        if (logged > 0)
        {
            Assert.All(harness.Rejections.Recent().Take((int)Math.Min(logged, harness.Rejections.Recent().Count)), r => Assert.NotEqual("none", r.Reason));
        }

        Assert.True(recentBefore <= harness.Options.RecentRejectionsKept);
        var bound = MaxAllocatedBytesPerMessage + MaxAllocatedBytesPerReading * options.MaxReadingsPerMessage;
        Assert.True(firstSeenIds || allocated <= bound, $"{allocated} bytes allocated by one call (bound {bound}): {context}");
        return $"{result} logged={logged} | {string.Join(" | ", BatchDescription.Of(harness.Batch))}";
    }

    /// <summary>Creates a harness whose batch has already grown to a whole gateway message, as the pipeline's reused batches have.</summary>
    public static DecoderHarness GrownHarness()
    {
        var harness = new DecoderHarness();
        var reading = "{'device':'grow','kind':'water','ts':1740829800000,'a':1,'b':2,'c':3,'d':4,'e':5,'f':6,'g':7,'h':8}";
        var message = "[" + string.Join(',', Enumerable.Repeat(reading, harness.Options.MaxReadingsPerMessage)) + "]";
        harness.Decode(DecoderHarness.GatewayTopic, message);
        Assert.Equal(harness.Options.MaxReadingsPerMessage, harness.Batch.Count);
        harness.Batch.Reset();
        return harness;
    }

    /// <summary>"[]" on a gateway topic: a message with no reading, which is neither.</summary>
    private static bool IsEmptyGatewayMessage(string topic, in ReadOnlySequence<byte> payload)
    {
        if (!topic.Contains("/gateway/", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array && document.RootElement.GetArrayLength() == 0;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Printable(string topic) =>
        string.Concat(topic.Take(80).Select(c => char.IsControl(c) || c > 126 ? $"\\u{(int)c:x4}" : c.ToString()));
}
