using System.Globalization;
using System.Net;
using System.Text.Json;
using CitySense.IntegrationTests.City;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using MQTTnet;
using Xunit;

namespace CitySense.IntegrationTests.Api;

/// <summary>
/// History through the running silo: the test city's readings over MQTT, the hourly figures of every area against the
/// windows they fill, JSON and CSV, a meter's days, the points in VictoriaMetrics, and the same history after a restart.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HistoryApiTests
{
    private const long HourMs = 3_600_000;
    private static readonly string[] RegisterKinds = ["water", "heat", "gas"];

    [Fact]
    public async Task Hourly_history_of_every_area_matches_its_readings_in_json_csv_and_victoria_metrics_and_survives_a_restart()
    {
        var registry = Directory.CreateTempSubdirectory("citysense-history-").FullName;
        try
        {
            await using var vm = new VictoriaMetricsServer();
            await vm.StartAsync();
            // Shanghai: whole-hour offset, so local hours are UTC hours and the windows' hours are computed here simply.
            var settings = new Dictionary<string, string?> { ["Registry:DataPath"] = registry, ["Alarms:TimeZone"] = "Asia/Shanghai", ["Influx:Url"] = vm.Url };
            // Readings from two minutes before the last hour began to a minute or two after: two hours of history.
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var start = (now / HourMs * HourMs) - 120_000;
            var city = new TestCity(seed: 11, start, prefix: "hist");
            var expected = HourlyConsumption(new Expected(city.Readings));
            var from = Iso(start - HourMs);
            var to = Iso(now + HourMs);
            Dictionary<string, JsonElement> before;

            await using (var first = await CitySenseInstance.StartAsync(settings))
            {
                await using (var publisher = await Publisher.ConnectAsync(first.MqttPort, "hist-publisher"))
                {
                    foreach (var (topic, payload) in city.Messages())
                    {
                        var code = await publisher.PublishAsync(topic, payload);
                        Assert.True(code is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers, $"PUBACK {code}");
                    }
                }

                foreach (var (area, kind) in expected.Keys.Select(k => (k.Area, k.Kind)).Distinct())
                {
                    var history = (await first.GetJsonAsync($"{AreaPath(area)}/history?kind={kind}&step=1h&from={from}&to={to}"))!.Value;
                    var hours = history.GetProperty("points").EnumerateArray().ToDictionary(p => p.GetProperty("startMs").GetInt64(), p => p.GetProperty("consumption").GetDecimal());
                    var wanted = expected.Where(e => e.Key.Area == area && e.Key.Kind == kind).ToDictionary(e => e.Key.Hour, e => e.Value);
                    Assert.Equal(wanted.OrderBy(w => w.Key), hours.Where(h => h.Value != 0 || wanted.ContainsKey(h.Key)).OrderBy(h => h.Key));
                }

                // The same figures as CSV, by Accept header and by format=csv.
                var json = (await first.GetJsonAsync($"/api/city/history?step=1h&from={from}&to={to}"))!.Value.GetProperty("points");
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/city/history?step=1h&from={from}&to={to}");
                request.Headers.Accept.ParseAdd("text/csv");
                var csvResponse = await first.Http.SendAsync(request);
                Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
                var csv = await csvResponse.Content.ReadAsStringAsync();
                Assert.Equal(csv, await first.Http.GetStringAsync($"/api/city/history?step=1h&from={from}&to={to}&format=csv"));
                var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var header = rows[0].Split(',');
                Assert.Equal(json.GetArrayLength(), rows.Length - 1);
                foreach (var kind in RegisterKinds)
                {
                    var fromCsv = rows.Skip(1).Select(r => r.Split(',')).Where(c => c[Array.IndexOf(header, "kind")] == kind)
                        .Sum(c => decimal.Parse(c[Array.IndexOf(header, "consumption")], CultureInfo.InvariantCulture));
                    Assert.Equal(expected.Where(e => e.Key.Area == "city" && e.Key.Kind == kind).Sum(e => e.Value), fromCsv);
                }

                // A meter's day: what its register moved (w3 of garden is read directly, never replaced).
                var meter = city.Readings.Where(r => r.Device == "hist-north-garden-w3").ToList();
                var days = (await first.GetJsonAsync($"/api/devices/hist-north-garden-w3/history?from={from}&to={to}"))!.Value;
                Assert.Equal(meter[^1].Register - meter[0].Register, days.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("consumption").GetDecimal()));

                before = await AllHistoryAsync(first, expected, from, to);
            }

            // Written at shutdown (the windows' flush timer is an hour here): one point per area, kind and hour.
            var series = await vm.ExportAsync("citysense_community_hourly_consumption");
            foreach (var ((area, kind, hour), consumption) in expected.Where(e => e.Key.Area.Contains('/')))
            {
                var s = series.Single(s => $"{s.Labels["district"]}/{s.Labels["community"]}" == area && s.Labels["kind"] == kind);
                Assert.Equal((double)consumption, s.Samples.Single(x => x.TimestampMs == hour).Value, 9);
            }

            Assert.NotEmpty(await vm.ExportAsync("citysense_meter_daily_consumption"));
            Assert.NotEmpty(await vm.ExportAsync("citysense_city_daily_consumption"));

            await using var second = await CitySenseInstance.StartAsync(settings);
            var after = await AllHistoryAsync(second, expected, from, to);
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            foreach (var (path, points) in before)
            {
                Assert.Equal(Figures(points), Figures(after[path]));
            }
        }
        finally
        {
            Directory.Delete(registry, recursive: true);
        }
    }

    [Fact]
    public async Task Requests_past_the_limits_get_a_clear_400_and_an_unknown_area_a_404()
    {
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>());
        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "hist-limits"))
        {
            await publisher.PublishAsync("city/lim-d/lim-c/water/lim-w1", $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"total":1.5}""");
            await publisher.PublishAsync("city/lim-d/lim-c/smoke/lim-s1", $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"smoke":0}""");
        }

        foreach (var (query, error) in new[]
        {
            ("step=2h", "invalid-step"),
            ("from=2026-12-02&to=2026-12-01", "invalid-range"),
            ("from=yesterday", "invalid-time"),
            ("from=2026-12-01T08:00:00", "invalid-time"),
            ("step=1h&from=2026-01-01&to=2026-03-01", "range-too-long"),
            ("step=1d&from=2020-01-01&to=2026-01-01", "range-too-long"),
            ("format=xml", "invalid-format"),
            ("kind=bad kind", "invalid-id"),
        })
        {
            var response = await silo.Http.GetAsync($"/api/city/history?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(error, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/api/districts/nowhere/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/api/districts/lim-d/communities/nowhere/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/api/devices/never-seen/history")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await silo.Http.GetAsync("/api/devices/lim-w1/history?step=1h")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await silo.Http.GetAsync("/api/devices/lim-s1/history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/api/districts/lim-d/history?step=1mo")).StatusCode);
        var csv = await silo.Http.GetStringAsync("/api/devices/lim-w1/history?format=csv");
        Assert.StartsWith("device,district,community,kind,step,start,end,local_start,consumption,consumption_estimated\n", csv, StringComparison.Ordinal);
    }

    /// <summary>The windows' consumption summed by hour, per area and register kind (UTC hours: the zone is whole hours).</summary>
    private static Dictionary<(string Area, string Kind, long Hour), decimal> HourlyConsumption(Expected expected)
    {
        var hourly = new Dictionary<(string, string, long), decimal>();
        foreach (var ((area, kind, window), figures) in expected.Windows)
        {
            if (RegisterKinds.Contains(kind))
            {
                var key = (area, kind, window / HourMs * HourMs);
                hourly[key] = hourly.GetValueOrDefault(key) + figures.Consumption;
            }
        }

        return hourly;
    }

    private static async Task<Dictionary<string, JsonElement>> AllHistoryAsync(CitySenseInstance silo, Dictionary<(string Area, string Kind, long Hour), decimal> expected,
        string from, string to)
    {
        var all = new Dictionary<string, JsonElement>();
        foreach (var area in expected.Keys.Select(k => k.Area).Distinct())
        {
            foreach (var step in new[] { "1h", "1d", "1mo" })
            {
                var path = $"{AreaPath(area)}/history?step={step}&from={from}&to={to}";
                all[path] = (await silo.GetJsonAsync(path))!.Value.GetProperty("points").Clone();
            }
        }

        return all;
    }

    /// <summary>What was counted (expected readings grow as hours end, so a restart across an hour would change them).</summary>
    private static List<string> Figures(JsonElement points) => points.EnumerateArray()
        .Select(p => string.Join('|', p.GetProperty("kind").GetString(), p.GetProperty("startMs").GetInt64(), p.GetProperty("consumption").GetDecimal(),
            p.GetProperty("estimated").GetDecimal(), p.GetProperty("readingsAccepted").GetInt64(), p.GetProperty("flowMax")))
        .ToList();

    private static string AreaPath(string area) => area == "city" ? "/api/city"
        : area.Contains('/') ? $"/api/districts/{area.Split('/')[0]}/communities/{area.Split('/')[1]}"
        : $"/api/districts/{area}";

    private static string Iso(long ms) => Uri.EscapeDataString(DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
