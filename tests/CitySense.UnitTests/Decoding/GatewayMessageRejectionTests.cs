using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;
using CitySense.UnitTests.Support;

namespace CitySense.UnitTests.Decoding;

/// <summary>
/// Every way a gateway message or one of its elements is refused. A refused element counts under the kind it names
/// once that kind was read, otherwise under "gateway"; elements here name their kind first.
/// </summary>
public sealed class GatewayMessageRejectionTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData("{'device':'w1','kind':'water','ts':1740829800000,'total':1}", RejectionReason.NotAnArray, "gateway")]
    [InlineData("42", RejectionReason.NotAnArray, "gateway")]
    [InlineData("[{'device':'w1','kind':'water','ts':1740829800000,'total':1}", RejectionReason.NotJson, "gateway")]
    [InlineData("[{'kind':'water','ts':1740829800000,'total':1}]", RejectionReason.MissingDevice, "water")]
    [InlineData("[{'device':'w1','ts':1740829800000,'total':1}]", RejectionReason.MissingKind, "gateway")]
    [InlineData("[{'kind':'water','device':'w 1','ts':1740829800000,'total':1}]", RejectionReason.InvalidId, "water")]
    [InlineData("[{'kind':'water','device':'w+1','ts':1740829800000,'total':1}]", RejectionReason.InvalidId, "water")]
    [InlineData("[{'kind':'water','device':'w/1','ts':1740829800000,'total':1}]", RejectionReason.InvalidId, "water")]
    [InlineData("[{'kind':'water','device':'','ts':1740829800000,'total':1}]", RejectionReason.InvalidId, "water")]
    [InlineData("[{'kind':'water','device':7,'ts':1740829800000,'total':1}]", RejectionReason.WrongType, "water")]
    [InlineData("[{'kind':'water','device':null,'ts':1740829800000,'total':1}]", RejectionReason.WrongType, "water")]
    [InlineData("[{'kind':'gateway','device':'w1','ts':1740829800000,'total':1}]", RejectionReason.InvalidId, "gateway")]
    [InlineData("[{'kind':'wa ter','device':'w1','ts':1740829800000,'total':1}]", RejectionReason.InvalidId, "gateway")]
    [InlineData("[{'kind':'water','kind':'heat','device':'w1','ts':1740829800000,'total':1}]", RejectionReason.DuplicateKey, "water")]
    [InlineData("[{'kind':'water','device':'w1','device':'w2','ts':1740829800000,'total':1}]", RejectionReason.DuplicateKey, "water")]
    [InlineData("[{'kind':'water','device':'w1','total':1}]", RejectionReason.MissingTimestamp, "water")]
    [InlineData("[{'kind':'water','device':'w1','ts':1740830700001,'total':1}]", RejectionReason.TimestampInFuture, "water")]
    [InlineData("[{'kind':'water','device':'w1','ts':1740829800000}]", RejectionReason.NoMetrics, "water")]
    [InlineData("[{'kind':'water','device':'w1','ts':1740829800000,'total':true}]", RejectionReason.WrongType, "water")]
    [InlineData("[42]", RejectionReason.NotAnObject, "gateway")]
    public void A_gateway_message_is_refused_with_its_reason(string json, RejectionReason reason, string kind)
    {
        var result = _harness.Decode(DecoderHarness.GatewayTopic, json);

        Assert.Equal(new DecodeResult(0, 1, reason), result);
        _harness.AssertOnlyRejection(reason, kind);
    }

    [Fact]
    public void A_device_id_of_65_characters_in_an_element_is_an_invalid_id()
    {
        _harness.Decode(DecoderHarness.GatewayTopic, $"[{{'kind':'water','device':'{new string('d', 65)}','ts':1740829800000,'total':1}}]");

        _harness.AssertOnlyRejection(RejectionReason.InvalidId, "water");
    }

    [Fact]
    public void A_device_id_of_64_characters_in_an_element_is_accepted()
    {
        var result = _harness.Decode(DecoderHarness.GatewayTopic, $"[{{'kind':'water','device':'{new string('d', 64)}','ts':1740829800000,'total':1}}]");

        Assert.Equal(new DecodeResult(1, 0), result);
    }

    [Fact]
    public void An_escaped_device_id_far_beyond_any_valid_length_is_an_invalid_id()
    {
        // 400 escaped characters: longer than any escaped form of a 64-character id, refused without copying.
        var escaped = string.Concat(Enumerable.Repeat(@"\u0064", 400));

        _harness.Decode(DecoderHarness.GatewayTopic, "[{'kind':'water','device':'" + escaped + "','ts':1740829800000,'total':1}]");

        _harness.AssertOnlyRejection(RejectionReason.InvalidId, "water");
    }

    [Fact]
    public void A_gateway_message_rejected_as_a_whole_after_a_good_message_leaves_the_good_reading_intact()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829700000,'total':5}");

        var result = _harness.Decode(
            DecoderHarness.GatewayTopic,
            "[{'device':'w2','kind':'water','ts':1740829800000,'total':1},{'device':'w3','kind':'water','ts':");

        Assert.Equal(new DecodeResult(0, 1, RejectionReason.NotJson), result);
        Assert.Equal(
            [
                "reading north/c1/water/w1 ts=1740829700000 seq=- at=1740830400000 total=5",
                "rejection north/c1/gateway not-json at=1740830400000",
            ],
            BatchDescription.Of(_harness.Batch));
        Assert.Equal(1, _harness.Batch.MetricCount);
    }

    [Fact]
    public void A_refused_element_counts_under_its_kind_and_device_whatever_the_member_order()
    {
        // JSON object members are unordered: the same element written ts-first must be attributed like the kind-first one.
        _harness.Decode(DecoderHarness.GatewayTopic, "[{'ts':'soon','device':'w1','kind':'water','total':1}]");

        _harness.AssertOnlyRejection(RejectionReason.InvalidTimestamp, "water");
        Assert.Equal("w1", Assert.Single(_harness.Rejections.Recent()).Device);
    }
}
