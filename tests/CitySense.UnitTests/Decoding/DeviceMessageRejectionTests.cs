using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;
using CitySense.UnitTests.Support;

namespace CitySense.UnitTests.Decoding;

/// <summary>Every way a device message (one JSON object) is refused; ts 1740829800000 is ten minutes before the frozen clock.</summary>
public sealed class DeviceMessageRejectionTests
{
    private readonly DecoderHarness _harness = new();

    [Theory]
    [InlineData("hello", RejectionReason.NotJson)]
    [InlineData("", RejectionReason.NotJson)]
    [InlineData("  \n ", RejectionReason.NotJson)]
    [InlineData("{'ts':1740829800000,'total':1} x", RejectionReason.NotJson)]
    [InlineData("{'ts':1740829800000,'total':1}{'ts':1740829800000,'total':2}", RejectionReason.NotJson)]
    [InlineData("{'ts':1740829800000,'total':1", RejectionReason.NotJson)]
    [InlineData("{'ts':1740829800000,'total':1,}", RejectionReason.NotJson)]
    [InlineData("{'ts':1740829800000,/* note */'total':1}", RejectionReason.NotJson)]
    [InlineData("{ts:1740829800000,total:1}", RejectionReason.NotJson)]
    [InlineData("{'ts':1740829800000,'total':NaN}", RejectionReason.NotJson)]
    [InlineData("[{'ts':1740829800000,'total':1}]", RejectionReason.NotAnObject)]
    [InlineData("42", RejectionReason.NotAnObject)]
    [InlineData("'text'", RejectionReason.NotAnObject)]
    [InlineData("null", RejectionReason.NotAnObject)]
    [InlineData("{'total':1}", RejectionReason.MissingTimestamp)]
    [InlineData("{'seq':1,'total':1}", RejectionReason.MissingTimestamp)]
    [InlineData("{'ts':'1740829800000','total':1}", RejectionReason.InvalidTimestamp)]
    [InlineData("{'ts':null,'total':1}", RejectionReason.InvalidTimestamp)]
    [InlineData("{'ts':1740829800000.5,'total':1}", RejectionReason.InvalidTimestamp)]
    [InlineData("{'ts':99999999999999999999,'total':1}", RejectionReason.InvalidTimestamp)]
    [InlineData("{'ts':946684799999,'total':1}", RejectionReason.InvalidTimestamp)]
    [InlineData("{'ts':1740829800,'total':1}", RejectionReason.InvalidTimestamp)]
    [InlineData("{'ts':-1,'total':1}", RejectionReason.InvalidTimestamp)]
    [InlineData("{'ts':1740830700001,'total':1}", RejectionReason.TimestampInFuture)]
    [InlineData("{'ts':1740829800000,'total':'1'}", RejectionReason.WrongType)]
    [InlineData("{'ts':1740829800000,'total':true}", RejectionReason.WrongType)]
    [InlineData("{'ts':1740829800000,'total':false}", RejectionReason.WrongType)]
    [InlineData("{'ts':1740829800000,'total':null}", RejectionReason.WrongType)]
    [InlineData("{'ts':1740829800000,'total':{'value':1}}", RejectionReason.WrongType)]
    [InlineData("{'ts':1740829800000,'total':[1]}", RejectionReason.WrongType)]
    [InlineData("{'ts':1740829800000,'seq':-1,'total':1}", RejectionReason.WrongType)]
    [InlineData("{'ts':1740829800000,'seq':1.5,'total':1}", RejectionReason.WrongType)]
    [InlineData("{'ts':1740829800000,'seq':'1','total':1}", RejectionReason.WrongType)]
    [InlineData("{'ts':1740829800000,'total':1e400}", RejectionReason.NotFinite)]
    [InlineData("{'ts':1740829800000,'total':-1e400}", RejectionReason.NotFinite)]
    [InlineData("{'ts':1740829800000,'total':1,'total':2}", RejectionReason.DuplicateKey)]
    [InlineData("{'ts':1740829800000,'total':1,'flow':1,'total':1}", RejectionReason.DuplicateKey)]
    [InlineData("{'ts':1740829800000,'ts':1740829800000,'total':1}", RejectionReason.DuplicateKey)]
    [InlineData("{'ts':1740829800000,'seq':1,'seq':2,'total':1}", RejectionReason.DuplicateKey)]
    [InlineData("{'ts':1740829800000}", RejectionReason.NoMetrics)]
    [InlineData("{'ts':1740829800000,'seq':3}", RejectionReason.NoMetrics)]
    [InlineData("{}", RejectionReason.MissingTimestamp)]
    [InlineData("{'ts':1740829800000,'to tal':1}", RejectionReason.InvalidId)]
    [InlineData("{'ts':1740829800000,'':1}", RejectionReason.InvalidId)]
    [InlineData("{'ts':1740829800000,'tötal':1}", RejectionReason.InvalidId)]
    public void A_device_message_is_refused_with_its_reason(string json, RejectionReason reason)
    {
        var result = _harness.Decode(DecoderHarness.WaterTopic, json);

        Assert.Equal(new DecodeResult(0, 1, reason), result);
        _harness.AssertOnlyRejection(reason, "water");
    }

    [Fact]
    public void A_metric_name_longer_than_64_characters_is_an_invalid_id()
    {
        _harness.Decode(DecoderHarness.WaterTopic, $"{{'ts':1740829800000,'{new string('m', 65)}':1}}");

        _harness.AssertOnlyRejection(RejectionReason.InvalidId, "water");
    }

    [Fact]
    public void One_metric_more_than_allowed_is_too_many_metrics()
    {
        var metrics = string.Concat(Enumerable.Range(0, 33).Select(i => $",'m{i}':{i}"));

        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000" + metrics + "}");

        _harness.AssertOnlyRejection(RejectionReason.TooManyMetrics, "water");
    }

    [Fact]
    public void A_payload_one_byte_over_the_limit_is_too_large_and_one_at_the_limit_is_read()
    {
        var harness = new DecoderHarness(o => o.MaxPayloadBytes = 64);
        var atLimit = "{'ts':1740829800000,'total':1}".PadRight(64);
        var overLimit = atLimit + " ";

        Assert.Equal(new DecodeResult(1, 0), harness.Decode(DecoderHarness.WaterTopic, atLimit));
        harness.Batch.Reset();
        Assert.Equal(new DecodeResult(0, 1, RejectionReason.PayloadTooLarge), harness.Decode(DecoderHarness.WaterTopic, overLimit));

        harness.AssertOnlyRejection(RejectionReason.PayloadTooLarge, "water");
    }

    [Fact]
    public void Nesting_deeper_than_four_levels_is_not_json()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'m':{'a':{'b':{'c':{'d':1}}}}}");

        _harness.AssertOnlyRejection(RejectionReason.NotJson, "water");
    }

    [Fact]
    public void Nesting_of_four_levels_is_read_through_and_the_object_metric_is_a_wrong_type()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'m':{'a':{'b':{'c':1}}}}");

        _harness.AssertOnlyRejection(RejectionReason.WrongType, "water");
    }

    [Fact]
    public void A_deeply_nested_array_on_a_device_topic_is_not_json()
    {
        _harness.Decode(DecoderHarness.WaterTopic, "[[[[[1]]]]]");

        _harness.AssertOnlyRejection(RejectionReason.NotJson, "water");
    }

    [Theory]
    [InlineData("town/north/c1/water/w1", RejectionReason.UnknownTopic)]
    [InlineData("city/north/c1/water", RejectionReason.UnknownTopic)]
    [InlineData("city/north/c1/water/w 1", RejectionReason.InvalidId)]
    [InlineData("city/north/+/water/w1", RejectionReason.InvalidId)]
    public void A_bad_topic_is_counted_but_adds_nothing_to_the_batch_because_its_community_is_not_trusted(string topic, RejectionReason reason)
    {
        var result = _harness.Decode(topic, "{'ts':1740829800000,'total':1}");

        Assert.Equal(new DecodeResult(0, 1, reason), result);
        Assert.Equal(1, _harness.Rejections.Count(reason));
        Assert.Equal(1, _harness.Rejections.Total);
        Assert.Empty(_harness.Rejections.ByCommunity());
        Assert.True(_harness.Batch.IsEmpty);
        Assert.Equal(topic, Assert.Single(_harness.Rejections.Recent()).Topic);
    }

    [Fact]
    public void A_duplicate_metric_is_refused_even_when_the_interner_is_full()
    {
        // A flood of random ids fills the interner (that is what its bound is for); new metric names then stay uninterned.
        var harness = new DecoderHarness(internerCapacity: 0);

        harness.Decode(DecoderHarness.WaterTopic, "{'ts':1740829800000,'total':1,'total':2}");

        harness.AssertOnlyRejection(RejectionReason.DuplicateKey, "water");
    }
}
