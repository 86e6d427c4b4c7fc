using System.Text.Json;
using System.Text.Json.Nodes;
using CitySense.Api.Ngsi;
using Xunit;

namespace CitySense.UnitTests.Ngsi;

/// <summary>The one q language of the entities API and of subscriptions.</summary>
public sealed class NgsiQueryTests
{
    private static readonly JsonObject Device = new()
    {
        ["id"] = "urn:ngsi-ld:Device:d1",
        ["type"] = "Device",
        ["batteryLevel"] = NgsiAttributes.Property(0.87),
        ["deviceState"] = NgsiAttributes.Property("online"),
        ["refCommunity"] = NgsiAttributes.Relationship("urn:ngsi-ld:Community:a:b"),
        ["dateLastValueReported"] = NgsiAttributes.DateTimeProperty(1_796_544_000_000),
    };

    private static readonly JsonElement Meter = JsonDocument.Parse("""
        {"id": "urn:ngsi-ld:WaterConsumptionObserved:w1", "type": "WaterConsumptionObserved",
         "registerValue": {"type": "Property", "value": 120.5, "observedAt": "2026-12-06T08:00:00.000Z"},
         "meterType": {"type": "Property", "value": "Heat"},
         "refDevice": {"type": "Relationship", "object": "urn:ngsi-ld:Device:w1"},
         "flow": {"type": "Property", "value": 2, "quality": {"type": "Property", "value": "good"}}}
        """).RootElement;

    [Theory]
    [InlineData("registerValue>100", true)]
    [InlineData("registerValue>=120.5", true)]
    [InlineData("registerValue<100", false)]
    [InlineData("registerValue==120.5", true)]
    [InlineData("registerValue!=120.5", false)]
    [InlineData("registerValue==100..200", true)]
    [InlineData("registerValue==1..2", false)]
    [InlineData("meterType==\"Heat\",\"Gas\"", true)]
    [InlineData("meterType==\"Water\"", false)]
    [InlineData("meterType~=\"^He\"", true)]
    [InlineData("meterType!~=\"^He\"", false)]
    [InlineData("refDevice==\"urn:ngsi-ld:Device:w1\"", true)]
    [InlineData("flow.quality==\"good\"", true)]
    [InlineData("registerValue", true)]
    [InlineData("missing", false)]
    [InlineData("missing>1|registerValue>1", true)]
    [InlineData("registerValue>1;missing>1", false)]
    [InlineData("(missing|registerValue>1);meterType==\"Heat\"", true)]
    public void A_query_matches_a_normalized_entity_as_the_NGSI_LD_query_language_says(string q, bool expected)
    {
        Assert.True(NgsiQuery.TryParse(q, out var query, out var error), error);
        Assert.Equal(expected, query!.Matches(Meter));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a>>1")]
    [InlineData("(a>1")]
    [InlineData("a==")]
    [InlineData("a~=\"((\"")]
    [InlineData("a>1..2")]
    [InlineData("a==\"open")]
    [InlineData("a==b\"c")]
    [InlineData("batteryLevel>>")]
    public void A_malformed_query_is_refused_with_a_reason(string q)
    {
        Assert.False(NgsiQuery.TryParse(q, out _, out var error));
        Assert.StartsWith("q: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("batteryLevel>0.5", true)]
    [InlineData("batteryLevel<0.5", false)]
    [InlineData("batteryLevel>=0.87;deviceState==online", true)]
    [InlineData("deviceState==\"offline\"", false)]
    [InlineData("refCommunity==urn:ngsi-ld:Community:a:b", true)]
    [InlineData("missing==1", false)]
    [InlineData("missing!=1", false)]
    [InlineData("deviceState==offline|batteryLevel>0.5", true)]
    [InlineData("batteryLevel", true)]
    [InlineData("batteryLevel==0.5..1", true)]
    [InlineData("dateLastValueReported>=2026-12-06T00:00:00.000Z", true)]
    [InlineData("dateLastValueReported<\"2026-01-01T00:00:00.000Z\"", false)]
    public void The_entities_API_answers_the_same_q_as_subscriptions_including_words_without_quotes(string q, bool matches)
    {
        Assert.True(NgsiQuery.TryParse(q, out var query, out var error), error);
        Assert.Equal(matches, query!.Matches(Device));
    }
}
