using System.Globalization;
using CitySense.IntegrationTests.City;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>Without Influx:Url the same line protocol goes to rotating files, and the API keeps serving indicators.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class FileOutputTests
{
    [Fact]
    public async Task Without_an_influx_url_indicators_are_written_as_line_protocol_files()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Influx:RawReadings"] = "true" });
        var city = new TestCity(seed: 3, TestCity.AlignedStart(DateTimeOffset.UtcNow, TimeSpan.FromHours(4)), readingsPerDevice: 5, prefix: "file");
        var expected = new Expected(city.Readings);
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "file-publisher"))
        {
            foreach (var (topic, payload) in city.Messages())
            {
                await publisher.PublishAsync(topic, payload);
            }
        }

        await IndicatorAssertions.ApiMatchesAsync(silo, city, expected, new Dictionary<(string, string), long>());
        var health = await silo.GetJsonAsync("/health");
        Assert.StartsWith("files ", health!.Value.GetProperty("output").GetProperty("destination").GetString());

        await silo.StopAsync();
        var folder = Path.Combine(silo.DataPath, "lineprotocol");
        var lines = Directory.GetFiles(folder, "citysense-*.lp").SelectMany(File.ReadAllLines).ToList();

        // One raw point per reading, and one community point per window with its consumption.
        Assert.Equal(city.Readings.Count, lines.Count(l => l.StartsWith("citysense_device,", StringComparison.Ordinal)));
        foreach (var ((area, kind, window), figures) in expected.Windows.Where(w => w.Key.Area.Contains('/') && w.Key.Kind == "water"))
        {
            var (district, community) = (area.Split('/')[0], area.Split('/')[1]);
            var prefix = $"citysense_community,district={district},community={community},kind={kind} ";
            var line = Assert.Single(lines, l => l.StartsWith(prefix, StringComparison.Ordinal) && l.EndsWith(" " + window.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            var fields = line[prefix.Length..line.LastIndexOf(' ')].Split(',').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
            Assert.Equal(figures.Consumption, decimal.Parse(fields["consumption"], CultureInfo.InvariantCulture));
            Assert.Equal($"{figures.Accepted}i", fields["accepted"]);
        }
    }
}
