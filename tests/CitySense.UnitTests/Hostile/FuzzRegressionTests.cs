using CitySense.Contracts.Telemetry;
using CitySense.UnitTests.Support;
using CitySense.Workload.Buffers;

namespace CitySense.UnitTests.Hostile;

/// <summary>Crashes found by <see cref="DecoderFuzzTests"/>, kept so they never come back.</summary>
[Collection(HostileCollection.Name)]
public sealed class FuzzRegressionTests
{
    /// <summary>
    /// CsCheck seed d3Cw7EUn1z11: the one-byte payload "n" cut into segments made Utf8JsonReader throw
    /// IndexOutOfRangeException out of the decoder (and so out of the broker's publish handler).
    /// </summary>
    [Theory]
    [InlineData("n")]
    [InlineData("nu")]
    [InlineData("t")]
    [InlineData("tru")]
    [InlineData("f")]
    [InlineData("fals")]
    [InlineData("[n")]
    [InlineData("{'ts':tr")]
    public void A_truncated_literal_cut_across_segments_is_refused_as_not_json(string payload)
    {
        var bytes = JsonPayload.Bytes(payload);
        foreach (var (cuts, sequence) in SegmentedSequence.EverySplit(bytes))
        {
            var harness = new DecoderHarness();

            var result = harness.Decoder.Decode(DecoderHarness.WaterTopic, sequence, harness.Batch);

            Assert.True(result == new Ingest.Decoding.DecodeResult(0, 1, RejectionReason.NotJson), $"cut at {cuts}: {result}");
            Assert.Equal(1, harness.Rejections.Count(RejectionReason.NotJson));
        }
    }
}
