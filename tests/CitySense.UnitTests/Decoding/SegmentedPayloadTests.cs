using System.Buffers;
using CitySense.UnitTests.Support;
using CitySense.Workload.Buffers;

namespace CitySense.UnitTests.Decoding;

/// <summary>
/// MQTTnet hands payloads over as sequences that may be cut anywhere, even inside a number, a name or an escape.
/// Each payload is decoded whole, then cut at every point into two and three segments; every cut must decode the same.
/// </summary>
public sealed class SegmentedPayloadTests
{
    public static TheoryData<string, string> Payloads => new()
    {
        { DecoderHarness.WaterTopic, "{'ts':1740829800000,'seq':42,'total':1234.567,'flow':-0.25e-1}" },
        { DecoderHarness.WaterTopic, @"{'t\u0073':1740829800000,'fl\u006Fw':2,'temp':12}" },
        { DecoderHarness.GatewayTopic, "[{'device':'w1','kind':'water','ts':1740829800000,'total':1.5},{'kind':'heat','device':'h\\u0031','ts':1740829801000,'energy':7}]" },
        { DecoderHarness.GatewayTopic, "[{'device':'w1','kind':'water','ts':1740829800000,'total':1},{'kind':'water','device':'w2','total':2},42]" },
        { DecoderHarness.WaterTopic, "{'ts':1740829800000,'total':1,'total':2}" },
        { DecoderHarness.WaterTopic, "{'ts':1740829800000,'total':1e400}" },
        { DecoderHarness.WaterTopic, "{'ts':'1740829800000','total':1}" },
        { DecoderHarness.WaterTopic, "{'ts':1740829800000,'total':1} x" },
        { DecoderHarness.WaterTopic, "{'ts':1740829800000,'m':{'a':{'b':{'c':{'d':1}}}}}" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void A_payload_decodes_the_same_wherever_it_is_cut(string topic, string json)
    {
        var bytes = JsonPayload.Bytes(json);
        var harness = new DecoderHarness();
        var expected = Decode(harness, topic, new ReadOnlySequence<byte>(bytes));

        foreach (var (cuts, sequence) in SegmentedSequence.EverySplit(bytes))
        {
            Assert.False(sequence.IsSingleSegment);
            var actual = Decode(harness, topic, sequence);
            Assert.True(expected == actual, $"cut at {cuts}:\n  whole: {expected}\n  cut:   {actual}");
        }
    }

    private static string Decode(DecoderHarness harness, string topic, in ReadOnlySequence<byte> payload)
    {
        harness.Batch.Reset();
        var rejectedBefore = harness.Rejections.Total;
        var result = harness.Decoder.Decode(topic, payload, harness.Batch);
        var logged = harness.Rejections.Total - rejectedBefore;
        return $"{result} logged={logged} | {string.Join(" | ", BatchDescription.Of(harness.Batch))}";
    }
}
