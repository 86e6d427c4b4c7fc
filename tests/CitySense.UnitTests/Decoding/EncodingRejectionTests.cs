using CitySense.Contracts.Telemetry;
using CitySense.UnitTests.Support;

namespace CitySense.UnitTests.Decoding;

/// <summary>Payloads that are not well-formed UTF-8 JSON at the byte level.</summary>
public sealed class EncodingRejectionTests
{
    private readonly DecoderHarness _harness = new();

    [Fact]
    public void A_byte_order_mark_is_refused_as_not_json()
    {
        // RFC 8259 lets a parser either ignore a BOM or refuse it; the decoder refuses (devices must not send one).
        _harness.Decode(DecoderHarness.WaterTopic, Bytes([0xEF, 0xBB, 0xBF], "{'ts':1740829800000,'total':1}"));

        _harness.AssertOnlyRejection(RejectionReason.NotJson, "water");
    }

    [Fact]
    public void Invalid_utf8_in_a_metric_name_is_a_bad_encoding()
    {
        _harness.Decode(DecoderHarness.WaterTopic, Bytes("{'ts':1740829800000,'", [0xC3, 0x28], "':1}"));

        _harness.AssertOnlyRejection(RejectionReason.BadEncoding, "water");
    }

    [Fact]
    public void Invalid_utf8_in_a_gateway_device_id_is_a_bad_encoding()
    {
        _harness.Decode(DecoderHarness.GatewayTopic, Bytes("[{'kind':'water','device':'", [0xFF], "','ts':1740829800000,'total':1}]"));

        _harness.AssertOnlyRejection(RejectionReason.BadEncoding, "gateway");
    }

    [Fact]
    public void An_overlong_utf8_sequence_in_a_gateway_device_id_is_a_bad_encoding()
    {
        // C0 AF is an overlong '/', the classic way to sneak a separator past a byte-level check.
        _harness.Decode(DecoderHarness.GatewayTopic, Bytes("[{'kind':'water','device':'w", [0xC0, 0xAF], "1','ts':1740829800000,'total':1}]"));

        _harness.AssertOnlyRejection(RejectionReason.BadEncoding, "gateway");
    }

    [Fact]
    public void Invalid_utf8_never_escapes_the_decoder_and_leaves_earlier_readings_intact()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'total':1}");

        var name = _harness.Decode(DecoderHarness.WaterTopic, Bytes("{'ts':1740829800000,'", [0xC3, 0x28], "':1}"));
        var device = _harness.Decode(DecoderHarness.GatewayTopic, Bytes("[{'kind':'water','device':'", [0xFF], "','ts':1740829800000,'total':1}]"));
        var between = _harness.Decode(DecoderHarness.WaterTopic, Bytes("{'ts':1740829800000,", [0xFF], "'total':1}"));

        Assert.Equal((0, 1), (name.Accepted, name.Rejected));
        Assert.Equal((0, 1), (device.Accepted, device.Rejected));
        Assert.Equal((0, 1), (between.Accepted, between.Rejected));
        Assert.Equal(1, _harness.Batch.Count);
        Assert.Equal(3, _harness.Batch.Rejections.Count);
        Assert.Equal(3, _harness.Rejections.Total);
    }

    private static byte[] Bytes(string before, byte[] raw, string after) => [.. JsonPayload.Bytes(before), .. raw, .. JsonPayload.Bytes(after)];

    private static byte[] Bytes(byte[] prefix, string json) => [.. prefix, .. JsonPayload.Bytes(json)];
}
