using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using CitySense.Testing;
using Xunit;

namespace CitySense.IntegrationTests.Api;

/// <summary>
/// The NGSI-LD API against a silo fed over MQTT: its figures equal the REST API's, and tools CitySense did not write
/// (jsonld, ngsijs) read it, expanding its terms to the Smart Data Models' and NGSI-LD core IRIs.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class NgsiTests
{
    private const string Community = "urn:ngsi-ld:Community:ngd:ngc";

    [Fact]
    public async Task Entities_and_their_history_carry_the_rest_api_figures_and_expand_to_smart_data_models_iris_in_outside_clients()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string Ts(int minutesAgo) => (now - minutesAgo * 60_000L).ToString(CultureInfo.InvariantCulture);
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "ngsi-publisher"))
        {
            await publisher.PublishAsync("city/ngd/ngc/water/ng-w1", $$"""{"ts":{{Ts(3)}},"total":100.0,"flow":0.5,"pressure":0.3}""");
            await publisher.PublishAsync("city/ngd/ngc/water/ng-w1", $$"""{"ts":{{Ts(2)}},"total":100.7,"flow":0.4,"pressure":0.31}""");
            await publisher.PublishAsync("city/ngd/ngc/heat/ng-h1", $$"""{"ts":{{Ts(3)}},"energy":500,"power":12,"supplyTemp":70,"returnTemp":50}""");
            await publisher.PublishAsync("city/ngd/ngc/heat/ng-h1", $$"""{"ts":{{Ts(2)}},"energy":502.5,"power":11}""");
            await publisher.PublishAsync("city/ngd/ngc/smoke/ng-s1", $$"""{"ts":{{Ts(2)}},"smoke":0,"battery":87}""");
        }

        var water = await Wait.UntilAsync(() => silo.GetJsonAsync("/api/devices/ng-w1"), d => d?.GetProperty("accepted").GetInt64() == 2, TimeSpan.FromSeconds(30), "the water meter's readings");
        var heat = await Wait.UntilAsync(() => silo.GetJsonAsync("/api/devices/ng-h1"), d => d?.GetProperty("accepted").GetInt64() == 2, TimeSpan.FromSeconds(30), "the heat meter's readings");
        await Wait.UntilAsync(() => silo.GetJsonAsync("/api/devices/ng-s1"), d => d?.GetProperty("accepted").GetInt64() == 1, TimeSpan.FromSeconds(30), "the smoke sensor's reading");
        var community = await Wait.UntilAsync(() => silo.GetJsonAsync("/api/districts/ngd/communities/ngc"),
            c => c is { } v && v.GetProperty("kinds").GetArrayLength() == 3 && Kind(v, "heat").GetProperty("accepted").GetInt64() == 2, TimeSpan.FromSeconds(30), "the community's indicators");

        // Figures: the REST API's, attribute by attribute.
        var meter = await GetNgsiAsync(silo, "/ngsi-ld/v1/entities/urn:ngsi-ld:WaterConsumptionObserved:ng-w1");
        Assert.Equal(water!.Value.GetProperty("consumption").GetDecimal(), meter.GetProperty("waterConsumption").GetProperty("value").GetDecimal());
        Assert.Equal("MTQ", meter.GetProperty("waterConsumption").GetProperty("unitCode").GetString());
        Assert.Equal("urn:ngsi-ld:Device:ng-w1", meter.GetProperty("refDevice").GetProperty("object").GetString());
        var heatMeter = await GetNgsiAsync(silo, "/ngsi-ld/v1/entities/urn:ngsi-ld:SmartMeteringObservation:ng-h1");
        Assert.Equal(heat!.Value.GetProperty("consumption").GetDecimal(), heatMeter.GetProperty("totalConsumption").GetProperty("value").GetDecimal());
        Assert.Equal("KWH", heatMeter.GetProperty("totalConsumption").GetProperty("unitCode").GetString());
        var area = await GetNgsiAsync(silo, "/ngsi-ld/v1/entities/" + Community);
        Assert.Equal(Kind(community, "water").GetProperty("consumption").GetDecimal(), area.GetProperty("waterConsumption").GetProperty("value").GetDecimal());
        Assert.Equal(Kind(community, "heat").GetProperty("consumption").GetDecimal(), area.GetProperty("heatConsumption").GetProperty("value").GetDecimal());
        Assert.Equal("urn:ngsi-ld:District:ngd", area.GetProperty("refDistrict").GetProperty("object").GetString());
        var sensor = await GetNgsiAsync(silo, "/ngsi-ld/v1/entities/urn:ngsi-ld:Device:ng-s1");
        Assert.Equal(0.87, sensor.GetProperty("batteryLevel").GetProperty("value").GetDouble(), 9);
        Assert.Equal(Community, sensor.GetProperty("refCommunity").GetProperty("object").GetString());

        // Errors in NGSI-LD's format.
        await AssertProblemAsync(silo, "/ngsi-ld/v1/entities?type=Device&q=batteryLevel>>", HttpStatusCode.BadRequest, "BadRequestData");
        await AssertProblemAsync(silo, "/ngsi-ld/v1/entities/urn:ngsi-ld:Device:nobody", HttpStatusCode.NotFound, "ResourceNotFound");
        await AssertProblemAsync(silo, $"/ngsi-ld/v1/temporal/entities/{Community}?aggrMethods=sum&aggrPeriodDuration=PT5M", HttpStatusCode.BadRequest, "BadRequestData");
        await AssertProblemAsync(silo, $"/ngsi-ld/v1/temporal/entities/{Community}?timerel=between&timeAt=2020-01-01T00:00:00Z&endTimeAt=2026-01-01T00:00:00Z", HttpStatusCode.BadRequest, "BadRequestData");

        // q and count.
        using var filtered = await silo.Http.GetAsync("/ngsi-ld/v1/entities?type=Device&q=batteryLevel>0.5&count=true");
        Assert.Equal("1", filtered.Headers.GetValues("NGSILD-Results-Count").Single());

        // Outside clients: jsonld expands the inline and the Link-header forms against the served context; ngsijs queries.
        var baseUrl = $"http://127.0.0.1:{silo.HttpPort}";
        var check = await NgsiClients.CheckAsync(baseUrl, "Device,WaterConsumptionObserved,SmartMeteringObservation,Community", "urn:ngsi-ld:Device:ng-w1", Community);
        var expanded = check.GetProperty("expanded").EnumerateArray().ToList();
        Assert.Equal(6, expanded.Count);
        Assert.Equal($"{baseUrl}/ngsi-ld/v1/context.jsonld", check.GetProperty("linkContext").GetString());
        foreach (var form in new[] { expanded, check.GetProperty("expandedLinked").EnumerateArray().ToList() })
        {
            var waterMeter = form.Single(e => e.GetProperty("@id").GetString() == "urn:ngsi-ld:WaterConsumptionObserved:ng-w1");
            Assert.Equal("https://smartdatamodels.org/dataModel.WaterConsumption/WaterConsumptionObserved", waterMeter.GetProperty("@type")[0].GetString());
            var consumption = waterMeter.GetProperty("https://smartdatamodels.org/dataModel.WaterConsumption/waterConsumption")[0];
            Assert.Equal("https://uri.etsi.org/ngsi-ld/Property", consumption.GetProperty("@type")[0].GetString());
            Assert.Equal(water.Value.GetProperty("consumption").GetDecimal(), consumption.GetProperty("https://uri.etsi.org/ngsi-ld/hasValue")[0].GetProperty("@value").GetDecimal());
            Assert.Equal("MTQ", consumption.GetProperty("https://uri.etsi.org/ngsi-ld/unitCode")[0].GetProperty("@value").GetString());
            Assert.Equal("https://uri.etsi.org/ngsi-ld/DateTime", consumption.GetProperty("https://uri.etsi.org/ngsi-ld/observedAt")[0].GetProperty("@type").GetString());
            Assert.Equal("urn:ngsi-ld:Device:ng-w1", waterMeter.GetProperty("https://smartdatamodels.org/dataModel.Device/refDevice")[0]
                .GetProperty("https://uri.etsi.org/ngsi-ld/hasObject")[0].GetProperty("@id").GetString());
            var device = form.Single(e => e.GetProperty("@id").GetString() == "urn:ngsi-ld:Device:ng-s1");
            Assert.Equal("https://smartdatamodels.org/dataModel.Device/Device", device.GetProperty("@type")[0].GetString());
            Assert.True(device.TryGetProperty("https://smartdatamodels.org/dataModel.Device/batteryLevel", out _));
            Assert.True(device.TryGetProperty("https://smartdatamodels.org/dataModel.Device/dateLastValueReported", out _));
            var heatObservation = form.Single(e => e.GetProperty("@id").GetString() == "urn:ngsi-ld:SmartMeteringObservation:ng-h1");
            Assert.True(heatObservation.TryGetProperty("https://smartdatamodels.org/dataModel.Device/totalConsumption", out _));
        }

        var ngsijs = check.GetProperty("ngsijs");
        Assert.Equal(6, ngsijs.GetProperty("count").GetInt32());
        Assert.Contains("urn:ngsi-ld:SmartMeteringObservation:ng-h1", ngsijs.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("urn:ngsi-ld:Device:ng-w1", ngsijs.GetProperty("entity").GetProperty("id").GetString());

        // Temporal: the daily sums equal the history API's days of the same community.
        var temporal = check.GetProperty("temporal");
        Assert.Equal(200, temporal.GetProperty("status").GetInt32());
        var history = (await silo.GetJsonAsync("/api/districts/ngd/communities/ngc/history?step=1d&kind=water"))!.Value.GetProperty("points").EnumerateArray()
            .Sum(p => p.GetProperty("consumption").GetDecimal());
        var sums = temporal.GetProperty("body").GetProperty("waterConsumption").GetProperty("sum").EnumerateArray().Sum(s => s[0].GetDecimal());
        Assert.Equal(history, sums);
        Assert.Equal(Kind(community, "water").GetProperty("consumption").GetDecimal(), sums);
        Assert.True(temporal.GetProperty("expanded").TryGetProperty("https://smartdatamodels.org/dataModel.WaterConsumption/waterConsumption", out var expandedSeries));
        Assert.True(expandedSeries[0].TryGetProperty("https://uri.etsi.org/ngsi-ld/sum", out _));
    }

    private static JsonElement Kind(JsonElement? area, string kind) =>
        area!.Value.GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == kind);

    private static async Task<JsonElement> GetNgsiAsync(CitySenseInstance silo, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await silo.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("rel=\"http://www.w3.org/ns/json-ld#context\"", string.Join(",", response.Headers.GetValues("Link")));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task AssertProblemAsync(CitySenseInstance silo, string path, HttpStatusCode status, string error)
    {
        using var response = await silo.Http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("https://uri.etsi.org/ngsi-ld/errors/" + error, body.GetProperty("type").GetString());
    }
}
