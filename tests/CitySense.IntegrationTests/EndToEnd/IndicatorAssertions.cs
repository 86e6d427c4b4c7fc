using System.Text.Json;
using CitySense.IntegrationTests.City;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.EndToEnd;

/// <summary>Compares what the API and VictoriaMetrics show with the independently computed expectations.</summary>
internal static class IndicatorAssertions
{
    private static readonly string[] RegisterKinds = ["water", "heat", "gas"];

    public static async Task ApiMatchesAsync(CitySenseInstance silo, TestCity city, Expected expected, IReadOnlyDictionary<(string Area, string Kind), long> rejected)
    {
        var areas = city.Readings.Select(r => $"{r.District}/{r.Community}").Distinct()
            .Concat(city.Readings.Select(r => r.District).Distinct())
            .Append("city");
        foreach (var area in areas)
        {
            var path = area == "city" ? "/api/city" : area.Contains('/') ? $"/api/districts/{area.Split('/')[0]}/communities/{area.Split('/')[1]}" : $"/api/districts/{area}";
            var json = await silo.GetJsonAsync(path) ?? throw new Xunit.Sdk.XunitException($"{path} answered 404");
            foreach (var kind in new[] { "water", "heat", "gas", "env" })
            {
                var k = json.GetProperty("kinds").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == kind);
                var readings = city.Readings.Where(r => r.Kind == kind && InArea(r, area)).ToList();
                Assert.Equal(readings.Count, k.GetProperty("accepted").GetInt64());
                Assert.Equal(readings.Select(r => r.Device).Distinct().Count(), k.GetProperty("devicesReporting").GetInt64());
                Assert.Equal(rejected.GetValueOrDefault((area, kind)), k.GetProperty("rejected").GetInt64());
                if (RegisterKinds.Contains(kind))
                {
                    Assert.Equal(expected.Totals[(area, kind)], k.GetProperty("consumption").GetDecimal());
                    Assert.Equal(expected.FlowSums[(area, kind)], k.GetProperty("flowSum").GetDouble(), 9);
                }

                foreach (var window in k.GetProperty("windows").EnumerateArray())
                {
                    var start = window.GetProperty("startMs").GetInt64();
                    if (!expected.Windows.TryGetValue((area, kind, start), out var figures))
                    {
                        // A window that only holds rejections (counted at arrival time).
                        Assert.Equal(0, window.GetProperty("accepted").GetInt64());
                        continue;
                    }

                    Assert.Equal(figures.Accepted, window.GetProperty("accepted").GetInt64());
                    Assert.Equal(figures.Devices.Count, window.GetProperty("devicesReporting").GetInt64());
                    Assert.Equal(figures.Consumption, window.GetProperty("consumption").GetDecimal());
                }
            }
        }
    }

    public static async Task VictoriaMetricsMatchesAsync(VictoriaMetricsServer vm, Expected expected)
    {
        await SeriesMatchAsync(vm, "citysense_community_consumption", expected, area => area.Contains('/'), RegisterKinds, f => (double)f.Consumption);
        await SeriesMatchAsync(vm, "citysense_district_consumption", expected, area => area != "city" && !area.Contains('/'), RegisterKinds, f => (double)f.Consumption);
        await SeriesMatchAsync(vm, "citysense_city_consumption", expected, area => area == "city", RegisterKinds, f => (double)f.Consumption);
        await SeriesMatchAsync(vm, "citysense_community_accepted", expected, area => area.Contains('/'), ["water", "heat", "gas", "env"], f => f.Accepted);
        await SeriesMatchAsync(vm, "citysense_district_devices_reporting", expected, area => area != "city" && !area.Contains('/'), ["water", "heat", "gas", "env"], f => f.Devices.Count);
        await SeriesMatchAsync(vm, "citysense_community_temperature_max", expected, area => area.Contains('/'), ["env"], f => f.TemperatureMax);
    }

    private static async Task SeriesMatchAsync(VictoriaMetricsServer vm, string name, Expected expected, Func<string, bool> level, string[] kinds, Func<Expected.WindowFigures, double> value)
    {
        var series = await vm.ExportAsync(name);
        var actual = new Dictionary<(string Area, string Kind, long Window), List<double>>();
        foreach (var s in series)
        {
            var area = s.Labels.TryGetValue("community", out var community) ? $"{s.Labels["district"]}/{community}"
                : s.Labels.TryGetValue("district", out var district) ? district : "city";
            foreach (var sample in s.Samples)
            {
                var key = (area, s.Labels["kind"], sample.TimestampMs);
                if (!actual.TryGetValue(key, out var list))
                {
                    actual[key] = list = [];
                }

                list.Add(sample.Value);
            }
        }

        var wanted = expected.Windows.Where(w => level(w.Key.Area) && kinds.Contains(w.Key.Kind)).ToList();
        Assert.NotEmpty(wanted);
        foreach (var (key, figures) in wanted)
        {
            Assert.True(actual.TryGetValue(key, out var values), $"{name} has no point for {key}");
            // Exactly one point per window: windows are written once (see CitySenseInstance).
            Assert.Single(values!);
            Assert.Equal(value(figures), values![0], 6);
        }
    }

    private static bool InArea(TestReading r, string area) =>
        area == "city" || area == r.District || area == $"{r.District}/{r.Community}";
}
