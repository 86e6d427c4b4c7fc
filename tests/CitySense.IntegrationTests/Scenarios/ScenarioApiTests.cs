using System.Globalization;
using System.Net;
using System.Text.Json;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Scenarios;

/// <summary>
/// The city-brain scenarios through a running silo: readings published over MQTT trip a few scenarios, and
/// GET /api/scenarios and /api/scenarios/{id} show them with the figures the REST snapshots hold.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ScenarioApiTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Readings_published_over_mqtt_trip_the_scenarios_the_api_lists_with_the_figures_of_the_area_snapshots()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000 + 1_000;
        double[] lowPressures = [0.32, 0.05];
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "sc-publisher"))
        {
            for (var i = 0; i < lowPressures.Length; i++)
            {
                await publisher.PublishAsync("city/sc-d/sc-low/water/sc-w1",
                    string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts + i * 1_000}},"total":{{100 + 2.5 * i}},"flow":0.5,"pressure":{{lowPressures[i]}}}"""));
            }

            for (var i = 0; i < 3; i++)
            {
                await publisher.PublishAsync("city/sc-d/sc-big/water/sc-w2",
                    string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts + i * 1_000}},"total":{{500 + 7.25 * i}},"flow":2,"pressure":0.3}"""));
            }

            await publisher.PublishAsync("city/sc-d/sc-home/smoke/sc-s1", $$"""{"ts":{{ts}},"smoke":1}""");
        }

        var tiles = await Wait.UntilAsync(() => Tiles(silo), t => t["smoke"].GetProperty("headline").ValueKind == JsonValueKind.Number
            && t["smoke"].GetProperty("headline").GetDouble() >= 1 && t["water-pressure"].GetProperty("headline").GetDouble() >= 1
            && t["top-consumers"].GetProperty("headline").ValueKind == JsonValueKind.Number && t["top-consumers"].GetProperty("headline").GetDouble() > 0,
            Deadline, "the smoke alarm, the low pressure and the consumption in the scenario tiles");
        Assert.True(tiles.Count >= 20, $"{tiles.Count} scenarios listed");
        Assert.Equal("alarm", tiles["smoke"].GetProperty("status").GetString());
        Assert.Equal("alarm", tiles["water-pressure"].GetProperty("status").GetString());
        Assert.Equal("ok", tiles["gas-pressure"].GetProperty("status").GetString());
        Assert.All(tiles.Values, t => Assert.Contains(t.GetProperty("status").GetString(), new[] { "ok", "warning", "alarm" }));

        // The pressure scenario's figure is the community window's minimum the REST snapshot shows.
        var community = (await silo.GetJsonAsync("/api/districts/sc-d/communities/sc-low?windows=1"))!.Value;
        var water = community.GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "water");
        var pressure = water.GetProperty("windows")[0].GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "pressure");
        Assert.Equal(lowPressures.Min(), pressure.GetProperty("min").GetDouble());
        var report = await Wait.UntilAsync(() => Report(silo, "water-pressure"), r => Row(r, "sc-d/sc-low") is { } row && row.GetProperty("value").GetDouble() == pressure.GetProperty("min").GetDouble(),
            Deadline, "the low community's window minimum");
        Assert.Equal("alarm", Row(report, "sc-d/sc-low")!.Value.GetProperty("status").GetString());
        Assert.Equal("ok", Row(report, "sc-d/sc-big")!.Value.GetProperty("status").GetString());

        // Top consumers: each community's consumption as its snapshot holds it, largest first.
        var consumption = new Dictionary<string, double>();
        foreach (var c in new[] { "sc-low", "sc-big" })
        {
            var snapshot = (await silo.GetJsonAsync($"/api/districts/sc-d/communities/{c}"))!.Value;
            consumption[$"sc-d/{c}"] = snapshot.GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "water").GetProperty("consumption").GetDouble();
        }

        var top = await Wait.UntilAsync(() => Report(silo, "top-consumers"),
            r => consumption.All(p => Row(r, p.Key) is { } row && row.GetProperty("value").GetDouble() == p.Value), Deadline, "the snapshots' consumption");
        Assert.Equal(consumption.OrderByDescending(p => p.Value).Select(p => p.Key), top.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("area").GetString()));
        Assert.Equal(consumption.Values.Max(), top.GetProperty("tile").GetProperty("headline").GetDouble());

        var smoke = await Report(silo, "smoke");
        Assert.Equal("sc-s1", Row(smoke, "sc-d/sc-home")!.Value.GetProperty("note").GetString());

        // Alarm load: the district's open alarms (the low pressure's and the smoke's), as GET /api/alarms lists them.
        var load = await Wait.UntilAsync(async () => (await Report(silo, "alarm-load"), (await silo.GetJsonAsync("/api/alarms?district=sc-d"))!.Value.GetProperty("active").GetArrayLength()),
            p => Row(p.Item1, "sc-d") is { } row && row.GetProperty("value").GetDouble() == p.Item2 && p.Item2 >= 2, Deadline, "the district's alarms in the alarm load");
        Assert.Equal(load.Item2, load.Item1.GetProperty("tile").GetProperty("headline").GetDouble());

        // Every request so far was answered; the scenario counts this node's.
        var sharing = await Report(silo, "data-sharing");
        Assert.True(sharing.GetProperty("figures").GetProperty("asked").GetDouble() >= 6);
        Assert.Equal(sharing.GetProperty("figures").GetProperty("asked").GetDouble(), sharing.GetProperty("figures").GetProperty("answered").GetDouble());

        var unknown = await silo.Http.GetAsync("/api/scenarios/no-such-scenario");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task With_scenarios_turned_off_the_city_is_still_ingested_but_no_scenario_is_listed_and_no_report_found()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Scenarios:Enabled"] = "false" });
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "sc-off-publisher"))
        {
            await publisher.PublishAsync("city/sc-off-d/sc-off-c/water/sc-off-w1",
                string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts}},"total":100,"flow":0.5,"pressure":0.05}"""));
        }

        // The reading went the whole live path (its alarm raised) before the scenarios are asked.
        await Wait.UntilAsync(async () => (await silo.GetJsonAsync("/api/alarms?district=sc-off-d"))!.Value.GetProperty("active").GetArrayLength(),
            active => active == 1, Deadline, "the low pressure's alarm");
        Assert.Equal(0, (await silo.GetJsonAsync("/api/scenarios"))!.Value.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/api/scenarios/water-pressure")).StatusCode);
    }

    private static async Task<Dictionary<string, JsonElement>> Tiles(CitySenseInstance silo) =>
        (await silo.GetJsonAsync("/api/scenarios"))!.Value.EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!, t => t.Clone());

    private static async Task<JsonElement> Report(CitySenseInstance silo, string id) => (await silo.GetJsonAsync($"/api/scenarios/{id}"))!.Value;

    private static JsonElement? Row(JsonElement report, string area) =>
        report.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("area").GetString() == area).Select(r => (JsonElement?)r).FirstOrDefault();
}
