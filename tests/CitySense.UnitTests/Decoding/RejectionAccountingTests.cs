using CitySense.Contracts.Telemetry;
using CitySense.UnitTests.Support;

namespace CitySense.UnitTests.Decoding;

/// <summary>
/// A message refused as a whole is one rejected input: the rejection log (behind /api/rejections and /health)
/// must agree with the batch (behind the community indicators) about what was refused.
/// </summary>
public sealed class RejectionAccountingTests
{
    [Fact]
    public void Elements_refused_before_a_message_turns_out_too_long_are_not_counted_in_the_log()
    {
        var harness = new DecoderHarness(o => o.MaxReadingsPerMessage = 2);

        harness.Decode(
            DecoderHarness.GatewayTopic,
            "[{'kind':'water','device':'w1','total':1}," +
            " {'kind':'water','device':'w2','ts':1740829800000,'total':2}," +
            " {'kind':'water','device':'w3','ts':1740829800000,'total':3}]");

        harness.AssertOnlyRejection(RejectionReason.TooManyReadings, "gateway");
        Assert.Equal(0, harness.Rejections.Count(RejectionReason.MissingTimestamp));
    }

    [Fact]
    public void A_refused_reading_followed_by_trailing_data_counts_only_as_not_json()
    {
        var harness = new DecoderHarness();

        harness.Decode(DecoderHarness.WaterTopic, "{'total':1} trailing");

        harness.AssertOnlyRejection(RejectionReason.NotJson, "water");
        Assert.Equal(0, harness.Rejections.Count(RejectionReason.MissingTimestamp));
    }

    [Fact]
    public void Elements_refused_before_a_syntax_error_are_not_counted_in_the_log()
    {
        var harness = new DecoderHarness();

        harness.Decode(DecoderHarness.GatewayTopic, "[{'kind':'water','device':'w1','total':1}, {'kind':");

        harness.AssertOnlyRejection(RejectionReason.NotJson, "gateway");
    }
}
