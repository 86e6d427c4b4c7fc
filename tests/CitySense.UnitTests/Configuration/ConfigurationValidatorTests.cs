using CitySense.Silo.Configuration;
using Microsoft.Extensions.Configuration;

namespace CitySense.UnitTests.Configuration;

public sealed class ConfigurationValidatorTests
{
    [Fact]
    public void The_shipped_defaults_are_valid()
    {
        var errors = Validate(
            ("Mqtt:Mode", "Embedded"),
            ("Mqtt:Port", "1883"),
            ("Influx:Url", ""),
            ("Influx:Org", "citysense"),
            ("Influx:Bucket", "citysense"),
            ("Indicators:Window", "00:01:00"),
            ("Indicators:FlushInterval", "00:00:10"));

        Assert.Empty(errors);
    }

    [Fact]
    public void An_empty_configuration_is_valid()
    {
        Assert.Empty(Validate());
    }

    [Fact]
    public void A_complete_external_setup_is_valid()
    {
        var errors = Validate(
            ("Mqtt:Mode", "external"),
            ("Mqtt:Host", "broker.local"),
            ("Mqtt:Port", "8883"),
            ("Mqtt:BindAddress", "0.0.0.0"),
            ("Orleans:SiloPort", "11111"),
            ("Orleans:GatewayPort", "30000"),
            ("Influx:Url", "https://influx.example:8086"),
            ("Influx:Bucket", "citysense/autogen"),
            ("Indicators:Window", "00:00:01"),
            ("Indicators:FlushInterval", "00:00:00.1"),
            ("Indicators:WindowsKept", "1"),
            ("Indicators:CommunityWindowsKept", "1"),
            ("Ingest:MaxPayloadBytes", "64"),
            ("Ingest:MaxReadingsPerMessage", "1"),
            ("Ingest:MaxBatchReadings", "1"),
            ("Ingest:MaxQueuedBatches", "1"),
            ("Influx:BatchBytes", "1024"),
            ("Dashboard:Enabled", "false"),
            ("Dashboard:CounterInterval", "00:00:01"));

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("Mqtt:Mode", "Foo")]
    [InlineData("Mqtt:Port", "0")]
    [InlineData("Mqtt:Port", "abc")]
    [InlineData("Mqtt:Port", "70000")]
    [InlineData("Mqtt:Port", "65536")]
    [InlineData("Mqtt:Port", "-1")]
    [InlineData("Mqtt:Port", "1883.5")]
    [InlineData("Orleans:SiloPort", "0")]
    [InlineData("Orleans:GatewayPort", "99999")]
    [InlineData("Mqtt:BindAddress", "localhost")]
    [InlineData("Influx:Url", "not-a-url")]
    [InlineData("Influx:Url", "ftp://x")]
    [InlineData("Influx:Url", "localhost:8086")]
    [InlineData("Indicators:Window", "0")]
    [InlineData("Indicators:Window", "garbage")]
    [InlineData("Indicators:Window", "00:00:00.999")]
    [InlineData("Indicators:Window", "-00:01:00")]
    [InlineData("Indicators:FlushInterval", "00:00:00.05")]
    [InlineData("Indicators:WindowsKept", "0")]
    [InlineData("Indicators:CommunityWindowsKept", "0")]
    [InlineData("Mqtt:Connections", "0")]
    [InlineData("State:ExtraWindowsStored", "-1")]
    [InlineData("Ingest:ApplyRetryFor", "soon")]
    [InlineData("Ingest:RouteByOwner", "maybe")]
    [InlineData("Live:StreamInterval", "soon")]
    [InlineData("Live:StreamInterval", "-00:00:01")]
    [InlineData("Live:StreamConsumerCheck", "-00:00:01")]
    [InlineData("Live:StreamConsumerCheck", "often")]
    [InlineData("Live:RetainCommunityIndicators", "sometimes")]
    [InlineData("Ingest:MaxPayloadBytes", "63")]
    [InlineData("Ingest:MaxReadingsPerMessage", "many")]
    [InlineData("Ingest:MaxBatchReadings", "0")]
    [InlineData("Ingest:MaxQueuedBatches", "-4")]
    [InlineData("Dashboard:CounterInterval", "00:00:00.500")]
    [InlineData("Dashboard:CounterInterval", "often")]
    [InlineData("Dashboard:Enabled", "yes")]
    [InlineData("Influx:BatchBytes", "1023")]
    public void An_invalid_value_produces_one_message_that_names_the_key_and_the_value(string key, string value)
    {
        var errors = Validate((key, value));

        var error = Assert.Single(errors);
        Assert.StartsWith($"{key} is '{value}': ", error);
    }

    [Fact]
    public void External_mode_without_a_host_names_the_host_key()
    {
        var errors = Validate(("Mqtt:Mode", "External"));

        Assert.StartsWith("Mqtt:Host is empty but Mqtt:Mode is External", Assert.Single(errors));
    }

    [Fact]
    public void External_mode_with_a_blank_host_names_the_host_key()
    {
        var errors = Validate(("Mqtt:Mode", "External"), ("Mqtt:Host", "   "));

        Assert.StartsWith("Mqtt:Host is empty", Assert.Single(errors));
    }

    [Fact]
    public void An_empty_bucket_with_a_server_url_names_the_bucket_key()
    {
        var errors = Validate(("Influx:Url", "http://localhost:8086"), ("Influx:Bucket", " "));

        Assert.StartsWith("Influx:Bucket is empty", Assert.Single(errors));
    }

    [Fact]
    public void Every_mistake_is_reported_at_once()
    {
        var errors = Validate(("Mqtt:Mode", "External"), ("Mqtt:Port", "abc"), ("Influx:Url", "ftp://x"), ("Indicators:Window", "0"));

        // In the order the host adds the parts: output, grains, live, ingest.
        Assert.Equal(
            ["Influx:Url", "Indicators:Window", "Mqtt:Host", "Mqtt:Port"],
            errors.Select(e => e[..e.IndexOf(' ', StringComparison.Ordinal)]).ToArray());
    }

    [Fact]
    public void A_numeric_mode_outside_the_enum_names_the_mode_key()
    {
        var errors = Validate(("Mqtt:Mode", "2"));

        Assert.StartsWith("Mqtt:Mode is '2': ", Assert.Single(errors));
    }

    [Fact]
    public void A_count_beyond_the_int_range_names_its_key()
    {
        var errors = Validate(("Ingest:MaxBatchReadings", "3000000000"));

        Assert.StartsWith("Ingest:MaxBatchReadings is '3000000000': ", Assert.Single(errors));
    }

    private static IReadOnlyList<string> Validate(params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return ConfigurationValidator.Validate(config);
    }
}
