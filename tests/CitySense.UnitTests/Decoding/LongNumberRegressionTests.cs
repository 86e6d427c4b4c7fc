using System.Text;
using CitySense.Ingest.Decoding;
using CitySense.UnitTests.Support;
using CitySense.Workload.Buffers;

namespace CitySense.UnitTests.Decoding;

/// <summary>Regression (found by fuzzing): a valid number longer than the stack buffer, cut across segments.</summary>
public sealed class LongNumberRegressionTests
{
    [Fact]
    public void A_three_hundred_digit_number_decodes_the_same_wherever_the_payload_is_cut()
    {
        var json = "{\"ts\":" + DecoderHarness.EarlierMs + ",\"m\":" + new string('9', 300) + "}";
        var bytes = Encoding.UTF8.GetBytes(json);
        var whole = new DecoderHarness();
        Assert.Equal(new DecodeResult(1, 0), whole.Decode(DecoderHarness.WaterTopic, bytes));
        var expected = whole.Batch.MetricsOf(whole.Batch.Readings[0]).ToArray();

        foreach (var (cuts, sequence) in SegmentedSequence.EverySplit(bytes).Where(s => s.Cuts.Length > 0))
        {
            var cut = new DecoderHarness();
            Assert.True(new DecodeResult(1, 0) == cut.Decoder.Decode(DecoderHarness.WaterTopic, sequence, cut.Batch), $"cut at {cuts}");
            Assert.Equal(expected, cut.Batch.MetricsOf(cut.Batch.Readings[0]).ToArray());
        }
    }
}
