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
        // Above the water meters' normal pressure, so that one low reading raises a real pressure-low alarm.
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?> { ["Alarms:WaterPressureMin"] = "0.2" });
        var empty = await GetNgsiAsync(silo, "/ngsi-ld/v1/types");
        Assert.Equal(["City"], empty.GetProperty("typeList").EnumerateArray().Select(t => t.GetString()));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string Ts(int minutesAgo) => (now - minutesAgo * 60_000L).ToString(CultureInfo.InvariantCulture);
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "ngsi-publisher"))
        {
            await publisher.PublishAsync("city/ngd/ngc/water/ng-w1", $$"""{"ts":{{Ts(3)}},"total":100.0,"flow":0.5,"pressure":0.3}""");
            await publisher.PublishAsync("city/ngd/ngc/water/ng-w1", $$"""{"ts":{{Ts(2)}},"total":100.7,"flow":0.4,"pressure":0.31}""");
            await publisher.PublishAsync("city/ngd/ngc/heat/ng-h1", $$"""{"ts":{{Ts(3)}},"energy":500,"power":12,"supplyTemp":70,"returnTemp":50}""");
            await publisher.PublishAsync("city/ngd/ngc/heat/ng-h1", $$"""{"ts":{{Ts(2)}},"energy":502.5,"power":11}""");
            await publisher.PublishAsync("city/ngd/ngc/smoke/ng-s1", $$"""{"ts":{{Ts(2)}},"smoke":0,"battery":87}""");
            await publisher.PublishAsync("city/ngd/ngc/env/ng-e1", $$"""{"ts":{{Ts(2)}},"temperature":18.4,"humidity":56.0}""");
            await publisher.PublishAsync("city/ngd/ngc2/water/ng-w2", $$"""{"ts":{{Ts(2)}},"total":40.0,"flow":0.2,"pressure":0.12}""");
        }

        var water = await Wait.UntilAsync(() => silo.GetJsonAsync("/api/devices/ng-w1"), d => d?.GetProperty("accepted").GetInt64() == 2, TimeSpan.FromSeconds(30), "the water meter's readings");
        var heat = await Wait.UntilAsync(() => silo.GetJsonAsync("/api/devices/ng-h1"), d => d?.GetProperty("accepted").GetInt64() == 2, TimeSpan.FromSeconds(30), "the heat meter's readings");
        var smoke = await Wait.UntilAsync(() => silo.GetJsonAsync("/api/devices/ng-s1"), d => d?.GetProperty("accepted").GetInt64() == 1, TimeSpan.FromSeconds(30), "the smoke sensor's reading");
        var env = await Wait.UntilAsync(() => silo.GetJsonAsync("/api/devices/ng-e1"), d => d?.GetProperty("accepted").GetInt64() == 1, TimeSpan.FromSeconds(30), "the env sensor's reading");
        var community = await Wait.UntilAsync(() => silo.GetJsonAsync("/api/districts/ngd/communities/ngc"),
            c => c is { } v && v.GetProperty("kinds").GetArrayLength() == 4 && Kind(v, "heat").GetProperty("accepted").GetInt64() == 2, TimeSpan.FromSeconds(30), "the community's indicators");
        var alarms = await Wait.UntilAsync(() => silo.GetJsonAsync("/api/alarms?active=true"), a => a?.GetProperty("active").GetArrayLength() == 1, TimeSpan.FromSeconds(30), "the pressure alarm");
        // Seven readings in all: the city has them once the areas have rolled them up, and then every area is settled.
        var city = await Wait.UntilAsync(() => silo.GetJsonAsync("/api/city"),
            c => c?.GetProperty("kinds").EnumerateArray().Sum(k => k.GetProperty("accepted").GetInt64()) == 7, TimeSpan.FromSeconds(30), "the city's indicators");
        var district = await silo.GetJsonAsync("/api/districts/ngd");
        community = await silo.GetJsonAsync("/api/districts/ngd/communities/ngc");

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

        // District and city: the REST area snapshots' figures.
        foreach (var (id, rest) in new[] { ("urn:ngsi-ld:District:ngd", district), ("urn:ngsi-ld:City:city", city) })
        {
            var entity = await GetNgsiAsync(silo, "/ngsi-ld/v1/entities/" + id);
            Assert.Equal(Kind(rest, "water").GetProperty("consumption").GetDecimal(), entity.GetProperty("waterConsumption").GetProperty("value").GetDecimal());
            Assert.Equal(Kind(rest, "heat").GetProperty("consumption").GetDecimal(), entity.GetProperty("heatConsumption").GetProperty("value").GetDecimal());
            Assert.Equal(Kind(rest, "water").GetProperty("flowSum").GetDouble(), entity.GetProperty("waterFlowSum").GetProperty("value").GetDouble(), 9);
            Assert.Equal(rest!.Value.GetProperty("kinds").EnumerateArray().Sum(k => k.GetProperty("accepted").GetInt64()), entity.GetProperty("readingsAccepted").GetProperty("value").GetInt64());
            var summary = rest.Value.GetProperty("summary");
            Assert.Equal(summary.GetProperty("devices").EnumerateArray().Sum(d => d.GetProperty("registered").GetInt64()), entity.GetProperty("devicesRegistered").GetProperty("value").GetInt64());
            Assert.Equal(summary.GetProperty("alarms").EnumerateArray().Sum(a => a.GetProperty("active").GetInt64()), entity.GetProperty("activeAlarms").GetProperty("value").GetInt64());
        }

        // Alert: the alarm GET /api/alarms lists, step for step.
        var alarm = alarms!.Value.GetProperty("active")[0];
        Assert.Equal("pressure-low", alarm.GetProperty("type").GetString());
        var alertId = "urn:ngsi-ld:Alert:" + alarm.GetProperty("alarmId").GetString()!.Replace('/', ':');
        var alert = await GetNgsiAsync(silo, "/ngsi-ld/v1/entities/" + alertId);
        Assert.Equal(alarm.GetProperty("type").GetString(), alert.GetProperty("subCategory").GetProperty("value").GetString());
        Assert.Equal(alarm.GetProperty("state").GetString()!.ToLowerInvariant(), alert.GetProperty("alarmState").GetProperty("value").GetString());
        Assert.Equal(alarm.GetProperty("message").GetString(), alert.GetProperty("description").GetProperty("value").GetString());
        Assert.Equal(alarm.GetProperty("value").GetDouble(), alert.GetProperty("measuredValue").GetProperty("value").GetDouble(), 9);
        Assert.Equal(alarm.GetProperty("peak").GetDouble(), alert.GetProperty("peakValue").GetProperty("value").GetDouble(), 9);
        Assert.Equal("MPA", alert.GetProperty("measuredValue").GetProperty("unitCode").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(alarm.GetProperty("startMs").GetInt64()),
            DateTimeOffset.Parse(alert.GetProperty("dateIssued").GetProperty("value").GetProperty("@value").GetString()!, CultureInfo.InvariantCulture));
        Assert.EndsWith("Z", alert.GetProperty("measuredValue").GetProperty("observedAt").GetString(), StringComparison.Ordinal);
        Assert.Equal("urn:ngsi-ld:Device:" + alarm.GetProperty("device").GetString(), alert.GetProperty("alertSource").GetProperty("object").GetString());
        var alertMeter = await GetNgsiAsync(silo, "/ngsi-ld/v1/entities/urn:ngsi-ld:WaterConsumptionObserved:ng-w2");
        Assert.Equal(1, alertMeter.GetProperty("alarmInProgress").GetProperty("value").GetInt32());

        // DataQualityAssessment: the community's newest quality window.
        var window = community!.Value.GetProperty("quality")[0];
        var quality = await GetNgsiAsync(silo, "/ngsi-ld/v1/entities/urn:ngsi-ld:DataQualityAssessment:Community:ngd:ngc");
        foreach (var (rest, ngsi) in new[] { ("completeness", "completeness"), ("validity", "validity"), ("timeliness", "timeliness"), ("score", "qualityScore") })
        {
            Assert.Equal(window.GetProperty(rest).GetDouble(), quality.GetProperty(ngsi).GetProperty("value").GetDouble(), 9);
        }

        Assert.Equal(Community, quality.GetProperty("refArea").GetProperty("object").GetString());

        // DeviceMeasurement: a community sensor's latest value of each metric (env, smoke).
        foreach (var (device, metric, rest) in new[] { ("ng-e1", "temperature", env), ("ng-e1", "humidity", env), ("ng-s1", "smoke", smoke) })
        {
            var measurement = await GetNgsiAsync(silo, $"/ngsi-ld/v1/entities/urn:ngsi-ld:DeviceMeasurement:{device}:{metric}");
            var latest = rest!.Value.GetProperty("latest").EnumerateArray().Single(m => m.GetProperty("name").GetString() == metric).GetProperty("value").GetDouble();
            Assert.Equal(latest, measurement.GetProperty("numValue").GetProperty("value").GetDouble(), 9);
            Assert.Equal(metric, measurement.GetProperty("controlledProperty").GetProperty("value").GetString());
        }

        // /types: every type now has an entity.
        var types = await GetNgsiAsync(silo, "/ngsi-ld/v1/types");
        Assert.Equal(["City", "District", "Community", "Device", "WaterConsumptionObserved", "SmartMeteringObservation", "DeviceMeasurement", "Alert", "DataQualityAssessment"],
            types.GetProperty("typeList").EnumerateArray().Select(t => t.GetString()));

        // attrs projects; keyValues simplifies; limit/offset page the count NGSILD-Results-Count gives.
        var projected = await GetNgsiAsync(silo, "/ngsi-ld/v1/entities/urn:ngsi-ld:Device:ng-s1?attrs=batteryLevel");
        Assert.Equal(["id", "type", "batteryLevel"], projected.EnumerateObject().Select(p => p.Name));
        var simple = await GetNgsiAsync(silo, "/ngsi-ld/v1/entities/urn:ngsi-ld:WaterConsumptionObserved:ng-w1?options=keyValues");
        Assert.Equal(water.Value.GetProperty("consumption").GetDecimal(), simple.GetProperty("waterConsumption").GetDecimal());
        Assert.Equal("urn:ngsi-ld:Device:ng-w1", simple.GetProperty("refDevice").GetString());
        var devices = new List<string>();
        for (var offset = 0; ; offset += 2)
        {
            using var page = await silo.Http.GetAsync($"/ngsi-ld/v1/entities?type=Device&limit=2&offset={offset}&count=true&options=keyValues");
            Assert.Equal("5", page.Headers.GetValues("NGSILD-Results-Count").Single());
            var ids = JsonDocument.Parse(await page.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
            devices.AddRange(ids);
            if (ids.Count < 2)
            {
                break;
            }
        }

        Assert.Equal(["urn:ngsi-ld:Device:ng-e1", "urn:ngsi-ld:Device:ng-h1", "urn:ngsi-ld:Device:ng-s1", "urn:ngsi-ld:Device:ng-w1", "urn:ngsi-ld:Device:ng-w2"], devices);
        using (var filteredByKind = await silo.Http.GetAsync("/ngsi-ld/v1/entities?type=Device&q=kind==water&options=keyValues&attrs=kind"))
        {
            Assert.Equal(["urn:ngsi-ld:Device:ng-w1", "urn:ngsi-ld:Device:ng-w2"],
                JsonDocument.Parse(await filteredByKind.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        }

        // Media types: ld+json carries its @context inline; an Accept NGSI-LD cannot serve is a 406.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/ngsi-ld/v1/entities/" + Community))
        {
            request.Headers.Accept.ParseAdd("application/ld+json");
            using var response = await silo.Http.SendAsync(request);
            Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains("Link"));
            Assert.Equal($"http://127.0.0.1:{silo.HttpPort}/ngsi-ld/v1/context.jsonld",
                JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("@context").GetString());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/ngsi-ld/v1/entities/" + Community))
        {
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await silo.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        }

        // Errors in NGSI-LD's format.
        await AssertProblemAsync(silo, "/ngsi-ld/v1/entities?type=Device&q=batteryLevel>>", HttpStatusCode.BadRequest, "BadRequestData");
        await AssertProblemAsync(silo, "/ngsi-ld/v1/entities/urn:ngsi-ld:Device:nobody", HttpStatusCode.NotFound, "ResourceNotFound");
        await AssertProblemAsync(silo, "/ngsi-ld/v1/entities/urn:ngsi-ld:Alert:nobody:leak:1", HttpStatusCode.NotFound, "ResourceNotFound");
        await AssertProblemAsync(silo, "/ngsi-ld/v1/entities?type=Device&options=sysAttrs", HttpStatusCode.BadRequest, "BadRequestData");
        await AssertProblemAsync(silo, $"/ngsi-ld/v1/temporal/entities/{Community}?aggrMethods=sum&aggrPeriodDuration=PT5M", HttpStatusCode.BadRequest, "BadRequestData");
        await AssertProblemAsync(silo, $"/ngsi-ld/v1/temporal/entities/{Community}?timerel=between&timeAt=2020-01-01T00:00:00Z&endTimeAt=2026-01-01T00:00:00Z", HttpStatusCode.BadRequest, "BadRequestData");

        // q and count.
        using var filtered = await silo.Http.GetAsync("/ngsi-ld/v1/entities?type=Device&q=batteryLevel>0.5&count=true");
        Assert.Equal("1", filtered.Headers.GetValues("NGSILD-Results-Count").Single());

        // Outside clients: jsonld expands the inline and the Link-header forms against the served context; ngsijs queries.
        var baseUrl = $"http://127.0.0.1:{silo.HttpPort}";
        var check = await NgsiClients.CheckAsync(baseUrl, "Device,WaterConsumptionObserved,SmartMeteringObservation,Community", "urn:ngsi-ld:Device:ng-w1", Community);
        var expanded = check.GetProperty("expanded").EnumerateArray().ToList();
        // Five devices, two water meters, a heat meter and two communities.
        Assert.Equal(10, expanded.Count);
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
        Assert.Equal(10, ngsijs.GetProperty("count").GetInt32());
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
