using CitySense.Contracts.Telemetry;
using CitySense.Ingest.Decoding;

namespace CitySense.UnitTests.Decoding;

public sealed class TopicParserTests
{
    [Fact]
    public void A_device_topic_yields_its_four_ids_and_the_device_type()
    {
        const string topic = "city/north/c1/water/w-01.a_B";

        var reason = TopicParser.TryParse(topic, out var parts);

        Assert.Equal(RejectionReason.None, reason);
        Assert.Equal(TopicKind.Device, parts.Type);
        Assert.Equal("north", topic[parts.District]);
        Assert.Equal("c1", topic[parts.Community]);
        Assert.Equal("water", topic[parts.Kind]);
        Assert.Equal("w-01.a_B", topic[parts.Leaf]);
    }

    [Fact]
    public void A_gateway_topic_yields_the_gateway_type_and_the_gateway_id_as_leaf()
    {
        const string topic = "city/north/c1/gateway/gw7";

        var reason = TopicParser.TryParse(topic, out var parts);

        Assert.Equal(RejectionReason.None, reason);
        Assert.Equal(TopicKind.Gateway, parts.Type);
        Assert.Equal("gateway", topic[parts.Kind]);
        Assert.Equal("gw7", topic[parts.Leaf]);
    }

    [Fact]
    public void An_id_of_exactly_64_characters_is_accepted()
    {
        var reason = TopicParser.TryParse($"city/north/c1/water/{new string('d', 64)}", out _);

        Assert.Equal(RejectionReason.None, reason);
    }

    [Theory]
    [InlineData("town/north/c1/water/w1")]
    [InlineData("City/north/c1/water/w1")]
    [InlineData("/city/north/c1/water/w1")]
    [InlineData("city/north/c1/water")]
    [InlineData("city/north/c1/water/w1/extra")]
    [InlineData("city/north/c1/water/w1/")]
    [InlineData("city")]
    [InlineData("city/#")]
    [InlineData("")]
    public void A_topic_of_another_shape_is_an_unknown_topic(string topic)
    {
        var reason = TopicParser.TryParse(topic, out var parts);

        Assert.Equal(RejectionReason.UnknownTopic, reason);
        Assert.Equal(default, parts);
    }

    [Theory]
    [InlineData("city//c1/water/w1")]
    [InlineData("city/north//water/w1")]
    [InlineData("city/north/c1//w1")]
    [InlineData("city/north/c1/water/")]
    [InlineData("city/+/c1/water/w1")]
    [InlineData("city/north/c1/water/+")]
    [InlineData("city/north/c1/water/#")]
    [InlineData("city/north/c1/#/w1")]
    [InlineData("city/north/c 1/water/w1")]
    [InlineData("city/north/c1/water/w1 ")]
    [InlineData("city/north/c1/wäter/w1")]
    [InlineData("city/north/c1/water/w:1")]
    public void A_segment_breaking_the_id_rule_is_an_invalid_id(string topic)
    {
        var reason = TopicParser.TryParse(topic, out var parts);

        Assert.Equal(RejectionReason.InvalidId, reason);
        Assert.Equal(default, parts);
    }

    [Fact]
    public void A_NUL_character_in_a_segment_is_an_invalid_id()
    {
        var reason = TopicParser.TryParse("city/north/c1/water/w\u00001", out _);

        Assert.Equal(RejectionReason.InvalidId, reason);
    }

    [Fact]
    public void An_id_of_65_characters_is_an_invalid_id()
    {
        var reason = TopicParser.TryParse($"city/north/c1/water/{new string('d', 65)}", out _);

        Assert.Equal(RejectionReason.InvalidId, reason);
    }
}
