using System.Text.Json;
using CitySense.Contracts.Subscriptions;
using Xunit;

namespace CitySense.UnitTests.Subscriptions;

public sealed class NgsiQueryTests
{
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
    [InlineData("a==bare-word")]
    public void A_malformed_query_is_refused_with_a_reason(string q)
    {
        Assert.False(NgsiQuery.TryParse(q, out _, out var error));
        Assert.StartsWith("q: ", error, StringComparison.Ordinal);
    }
}
