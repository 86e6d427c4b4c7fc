using System.Text.Json.Nodes;
using CitySense.Api.Ngsi;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace CitySense.UnitTests.Ngsi;

public sealed class NgsiRepresentationTests
{
    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/*", "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/ld+json", "application/ld+json")]
    [InlineData("application/ld+json, application/json", "application/ld+json")]
    [InlineData("application/ld+json;q=0.5, application/json", "application/json")]
    [InlineData("text/html, application/ld+json;q=0.9", "application/ld+json")]
    [InlineData("text/html", null)]
    [InlineData("application/json;q=0", null)]
    public void Accept_is_negotiated_to_json_or_json_ld_by_quality_and_nothing_else_is_acceptable(string? accept, string? mediaType)
    {
        var http = new DefaultHttpContext();
        if (accept is not null)
        {
            http.Request.Headers.Accept = accept;
        }

        Assert.Equal(mediaType, NgsiResponse.Negotiate(http.Request));
    }

    [Fact]
    public void KeyValues_reduces_properties_to_their_values_and_relationships_to_their_objects()
    {
        var entity = new JsonObject
        {
            ["id"] = "urn:ngsi-ld:Device:d1",
            ["type"] = "Device",
            ["batteryLevel"] = NgsiAttributes.Property(0.87, 0, NgsiUnits.Percent),
            ["controlledProperty"] = NgsiAttributes.Property(new JsonArray("flow", "pressure")),
            ["refCommunity"] = NgsiAttributes.Relationship("urn:ngsi-ld:Community:a:b"),
            ["@context"] = "http://localhost/ngsi-ld/v1/context.jsonld",
        };

        var simplified = NgsiRepresentation.KeyValues(entity);

        Assert.Equal(
            """{"id":"urn:ngsi-ld:Device:d1","type":"Device","batteryLevel":0.87,"controlledProperty":["flow","pressure"],"refCommunity":"urn:ngsi-ld:Community:a:b","@context":"http://localhost/ngsi-ld/v1/context.jsonld"}""",
            simplified.ToJsonString());
    }

    [Theory]
    [InlineData(null, null, true, false)]
    [InlineData("keyValues", null, true, true)]
    [InlineData(null, "simplified", true, true)]
    [InlineData("normalized", null, true, false)]
    [InlineData("sysAttrs", null, false, false)]
    [InlineData("keyValues", "normalized", false, true)]
    [InlineData(null, "concise", false, false)]
    public void Options_and_format_ask_for_keyValues_and_unsupported_ones_are_refused(string? options, string? format, bool accepted, bool keyValues)
    {
        Assert.Equal(accepted, NgsiRepresentation.TryParse(options, format, out var asked, out var error));
        Assert.Equal(accepted, error.Length == 0);
        if (accepted)
        {
            Assert.Equal(keyValues, asked);
        }
    }
}
