using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;
using CitySense.Ingest.Pipeline;
using CitySense.UnitTests.Support;

namespace CitySense.UnitTests.Decoding;

public sealed class GatewayMessageDecodingTests
{
    private const string ThreeKinds =
        "[{'device':'w1','kind':'water','ts':1740829800000,'seq':1,'total':10.5,'flow':0.5}," +
        " {'ts':1740829801000,'kind':'heat','energy':3.25,'device':'h1'}," +
        " {'device':'n1','kind':'noise','ts':1740829802000,'db':41}]";

    private readonly DecoderHarness _harness = new();

    [Fact]
    public void Every_reading_of_a_gateway_message_is_decoded_for_the_device_and_kind_it_names()
    {
        var result = _harness.Decode(DecoderHarness.GatewayTopic, ThreeKinds);

        Assert.Equal(new DecodeResult(3, 0), result);
        Assert.Equal(
            [
                "reading north/c1/water/w1 ts=1740829800000 seq=1 at=1740830400000 total=10.5 flow=0.5",
                "reading north/c1/heat/h1 ts=1740829801000 seq=- at=1740830400000 energy=3.25",
                "reading north/c1/noise/n1 ts=1740829802000 seq=- at=1740830400000 db=41",
            ],
            BatchDescription.Of(_harness.Batch));
        Assert.Equal(0, _harness.Rejections.Total);
    }

    [Fact]
    public void Escaped_device_and_kind_ids_name_the_same_device_as_plain_ones()
    {
        // Plain ids are read straight from the payload, escaped ones through a copy: both must give the same address.
        _harness.Decode(DecoderHarness.GatewayTopic, "[{'device':'w1','kind':'water','ts':1740829800000,'total':1}]");
        var result = _harness.Decode(DecoderHarness.GatewayTopic, @"[{'device':'\u00771','kind':'w\u0061ter','ts':1740829801000,'total':2}]");

        Assert.Equal(new DecodeResult(1, 0), result);
        var readings = _harness.Batch.Readings.ToArray();
        Assert.Same(readings[0].Address, readings[1].Address);
        Assert.Equal("reading north/c1/water/w1 ts=1740829801000 seq=- at=1740830400000 total=2", BatchDescription.Of(_harness.Batch)[1]);
    }

    [Fact]
    public void A_device_reporting_through_a_gateway_and_directly_shares_one_address()
    {
        _harness.Decode(DecoderHarness.GatewayTopic, ThreeKinds);
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829860000,'total':11}");

        var readings = _harness.Batch.Readings.ToArray();
        Assert.Same(readings[0].Address, readings[3].Address);
    }

    [Fact]
    public void A_gateway_message_with_one_bad_element_keeps_the_good_ones()
    {
        var result = _harness.Decode(
            DecoderHarness.GatewayTopic,
            "[{'device':'w1','kind':'water','ts':1740829800000,'total':1}," +
            " {'kind':'water','device':'w2','total':2,'flow':1}," +
            " {'device':'w3','kind':'water','ts':1740829800000,'total':3}]");

        Assert.Equal(new DecodeResult(2, 1, RejectionReason.MissingTimestamp), result);
        Assert.Equal(
            [
                "reading north/c1/water/w1 ts=1740829800000 seq=- at=1740830400000 total=1",
                "reading north/c1/water/w3 ts=1740829800000 seq=- at=1740830400000 total=3",
                "rejection north/c1/water missing-ts at=1740830400000",
            ],
            BatchDescription.Of(_harness.Batch));
        Assert.Equal(2, _harness.Batch.MetricCount);
        Assert.Equal(1, _harness.Rejections.Count(RejectionReason.MissingTimestamp));
        Assert.Equal(1, _harness.Rejections.Total);
        Assert.Equal("w2", Assert.Single(_harness.Rejections.Recent()).Device);
    }

    [Fact]
    public void An_element_that_is_not_an_object_is_rejected_and_the_next_elements_still_count()
    {
        var result = _harness.Decode(
            DecoderHarness.GatewayTopic,
            "[42, [1, 2], {'device':'w1','kind':'water','ts':1740829800000,'total':1}]");

        Assert.Equal(new DecodeResult(1, 2, RejectionReason.NotAnObject), result);
        Assert.Equal(1, _harness.Batch.Count);
        Assert.Equal(2, _harness.Rejections.Count(RejectionReason.NotAnObject));
        Assert.All(_harness.Batch.Rejections, r => Assert.Equal(("north", "c1", "gateway", RejectionReason.NotAnObject, DecoderHarness.NowMs), (r.District, r.Community, r.Kind, r.Reason, r.ReceivedAtMs)));
    }

    [Fact]
    public void An_empty_gateway_message_adds_nothing()
    {
        var result = _harness.Decode(DecoderHarness.GatewayTopic, "[]");

        Assert.Equal(new DecodeResult(0, 0), result);
        Assert.True(_harness.Batch.IsEmpty);
        Assert.Equal(0, _harness.Rejections.Total);
    }

    [Fact]
    public void As_many_readings_as_allowed_are_accepted()
    {
        var harness = new DecoderHarness(o => o.MaxReadingsPerMessage = 2);

        var result = harness.Decode(
            DecoderHarness.GatewayTopic,
            "[{'device':'w1','kind':'water','ts':1740829800000,'total':1},{'device':'w2','kind':'water','ts':1740829800000,'total':2}]");

        Assert.Equal(new DecodeResult(2, 0), result);
    }

    [Fact]
    public void Too_many_readings_reject_the_whole_message_and_roll_back_its_readings()
    {
        var harness = new DecoderHarness(o => o.MaxReadingsPerMessage = 2);
        harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829700000,'seq':9,'total':5}");

        var result = harness.Decode(
            DecoderHarness.GatewayTopic,
            "[{'device':'w1','kind':'water','ts':1740829800000,'total':1}," +
            " {'device':'w2','kind':'water','ts':1740829800000,'total':2}," +
            " {'device':'w3','kind':'water','ts':1740829800000,'total':3}," +
            " {'device':'w4','kind':'water','ts':1740829800000,'total':4}]");

        Assert.Equal(new DecodeResult(0, 1, RejectionReason.TooManyReadings), result);
        Assert.Equal(
            [
                "reading north/c1/water/w1 ts=1740829700000 seq=9 at=1740830400000 total=5",
                "rejection north/c1/gateway too-many-readings at=1740830400000",
            ],
            BatchDescription.Of(harness.Batch));
        Assert.Equal(1, harness.Batch.MetricCount);
        Assert.Equal(1, harness.Rejections.Count(RejectionReason.TooManyReadings));
        Assert.Equal(1, harness.Rejections.Total);
    }
}
