using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Mqtt;
using MQTTnet.Protocol;

namespace CitySense.UnitTests.Mqtt;

public sealed class PublishOutcomeTests
{
    [Theory]
    [InlineData("city/d1/c1/water")]
    [InlineData("city/d1/c1/water/bad id!")]
    [InlineData("city/d1/c1/water/bad%id")]
    [InlineData("city/d1/c1/water/w1/extra")]
    public void A_topic_that_breaks_the_contract_is_answered_topic_name_invalid(string topic) =>
        Assert.Equal(MqttPubAckReasonCode.TopicNameInvalid, PublishOutcome.ForRefused(topic));

    [Theory]
    [InlineData("city/d1/c1/water/w1")]
    [InlineData("city/d1/c1/gateway/gw1")]
    public void A_refused_payload_on_a_valid_topic_is_answered_payload_format_invalid(string topic) =>
        Assert.Equal(MqttPubAckReasonCode.PayloadFormatInvalid, PublishOutcome.ForRefused(topic));

    [Fact]
    public void The_reason_string_names_the_rejection_and_where_to_read_more() =>
        Assert.Equal("rejected: missing-ts (details: GET /api/rejections)", PublishOutcome.RefusedText(RejectionReason.MissingTimestamp));

    [Fact]
    public void A_partly_refused_gateway_message_says_how_many_readings_were_refused()
    {
        Assert.Null(PublishOutcome.PartialText(new DecodeResult(3, 0)));
        Assert.Equal("2 of 5 readings rejected, first: not-finite (details: GET /api/rejections)",
            PublishOutcome.PartialText(new DecodeResult(3, 2, RejectionReason.NotFinite)));
    }
}
