using System.Globalization;
using System.Net;
using System.Text.Json;
using CitySense.IntegrationTests.City;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Api;

/// <summary>The open-data catalogue and its daily datasets, fed with the test city's readings over MQTT.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class DatasetTests
{
    [Fact]
    public async Task The_catalogue_lists_daily_datasets_whose_csv_and_json_add_up_to_what_the_areas_counted()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Sharing:License"] = "https://creativecommons.org/licenses/by/4.0/" });
        var city = new TestCity(seed: 5, TestCity.AlignedStart(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(30)), prefix: "ds");
        var expected = new Expected(city.Readings);
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "ds-publisher"))
        {
            foreach (var (topic, payload) in city.Messages())
            {
                await publisher.PublishAsync(topic, payload);
            }
        }

        var catalogue = (await silo.GetJsonAsync("/api/datasets"))!.Value.EnumerateArray().ToList();
        Assert.Equal(9, catalogue.Count);
        foreach (var dataset in catalogue)
        {
            foreach (var field in new[] { "identifier", "title", "description", "publisher", "accrualPeriodicity", "temporalResolution", "spatial" })
            {
                Assert.False(string.IsNullOrEmpty(dataset.GetProperty(field).GetString()), field);
            }

            Assert.Equal("https://creativecommons.org/licenses/by/4.0/", dataset.GetProperty("license").GetString());
            Assert.Equal(["text/csv", "application/json"], dataset.GetProperty("distribution").EnumerateArray().Select(d => d.GetProperty("mediaType").GetString()));
        }

        // Each dataset's download URLs work as given; the community water dataset adds up to each community's total.
        var water = catalogue.Single(d => d.GetProperty("identifier").GetString() == "community-daily-water");
        var urls = water.GetProperty("distribution").EnumerateArray().Select(d => d.GetProperty("downloadUrl").GetString()!).ToArray();
        var csv = await silo.Http.GetStringAsync(urls[0]);
        var json = JsonDocument.Parse(await silo.Http.GetStringAsync(urls[1])).RootElement.EnumerateArray().ToList();
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = rows[0].Split(',');
        Assert.Equal(json.Count, rows.Length - 1);
        var fromCsv = rows.Skip(1).Select(r => r.Split(','))
            .GroupBy(c => $"{c[Array.IndexOf(header, "district")]}/{c[Array.IndexOf(header, "community")]}")
            .ToDictionary(g => g.Key, g => g.Sum(c => decimal.Parse(c[Array.IndexOf(header, "consumption")], CultureInfo.InvariantCulture)));
        var communities = expected.Totals.Where(t => t.Key.Kind == "water" && t.Key.Area.Contains('/')).ToDictionary(t => t.Key.Area, t => t.Value);
        Assert.Equal(communities.OrderBy(c => c.Key), fromCsv.OrderBy(c => c.Key));
        Assert.Equal(communities.Values.Sum(), json.Sum(r => r.GetProperty("consumption").GetDecimal()));

        var cityRows = JsonDocument.Parse(await silo.Http.GetStringAsync("/api/datasets/city-daily-heat/data.json")).RootElement;
        Assert.Equal(expected.Totals[("city", "heat")], cityRows.EnumerateArray().Sum(r => r.GetProperty("consumption").GetDecimal()));

        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/api/datasets/city-hourly-water")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/api/datasets/nothing/data.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await silo.Http.GetAsync("/api/datasets/city-daily-gas/data.json?from=2020-01-01&to=2026-01-01")).StatusCode);
    }
}
