using System.Globalization;
using System.Text.Json;
using CitySense.IntegrationTests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CitySense.IntegrationTests.CityDay;

/// <summary>
/// A whole city day through the real MQTT path, on a fake clock: what the API shows and what reaches VictoriaMetrics
/// equal the independently computed expectations exactly.
/// </summary>
[Collection(EndToEnd.EndToEndCollection.Name)]
public sealed class CityDayTests
{
    private const long WindowMs = 15 * 60_000;
    private const long LatenessMs = 20 * 60_000;
    private static readonly string[] Kinds = ["water", "heat", "gas", "gasleak", "smoke", "env"];
    private static readonly string[] RegisterKinds = ["water", "heat", "gas"];

    [Fact]
    public async Task A_day_with_rollovers_replacements_duplicates_late_readings_leaks_and_silence_gives_the_expected_indicators()
    {
        var midnight = DateTimeOffset.Parse("2026-03-01T00:00:00Z", CultureInfo.InvariantCulture);
        var scenario = new CityDayScenario(midnight.ToUnixTimeMilliseconds());
        var expected = new DayExpectations(scenario.Readings, WindowMs, LatenessMs);
        // The day really holds what it is meant to test.
        var wrapped = scenario.Readings.Where(r => r.Device == "day-east-a-w3").Select(r => r.Register!.Value).ToList();
        Assert.Contains(wrapped.Zip(wrapped.Skip(1)), p => p.Second < p.First - 99_000_000m);
        Assert.Equal((1L, 1L), (expected.Duplicates[("city", "water")], expected.Late[("city", "water")]));
        Assert.Contains(scenario.Readings, r => r.ReplacementRecordedBefore);
        var heat = scenario.Readings.Where(r => r.Device == "day-east-a-h1").Select(r => r.Register!.Value).ToList();
        Assert.Contains(heat.Zip(heat.Skip(1)), p => p.Second < p.First && p.First - p.Second <= 0.01m);
        var heldBack = scenario.Readings.Where(r => r.Device == "day-west-b-h1").ToList();
        Assert.Contains(heldBack.Zip(heldBack.Skip(1)), p => p.Second.TimestampMs < p.First.TimestampMs && p.Second.TimestampMs / WindowMs != p.First.TimestampMs / WindowMs);
        var clock = new FakeTimeProvider(midnight);
        await using var vm = new VictoriaMetricsServer();
        await vm.StartAsync();
        await using var silo = await CitySenseInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Influx:Url"] = vm.Url,
            ["Indicators:Window"] = "00:15:00",
            ["Indicators:WindowsKept"] = "200",
            ["Indicators:AllowedLateness"] = "00:20:00",
            ["Liveness:CheckInterval"] = "00:00:00.100",
        }, clock);

        await using (var publisher = await Publisher.ConnectAsync(silo.MqttPort, "day-publisher"))
        {
            foreach (var step in scenario.Steps)
            {
                if (step.NowMs > clock.GetUtcNow().ToUnixTimeMilliseconds())
                {
                    clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(step.NowMs));
                }

                if (step.RecordReplacementOf is { } device)
                {
                    (await silo.Http.PostAsync($"/api/registry/devices/{device}/replacement", null)).EnsureSuccessStatusCode();
                }
                else
                {
                    await publisher.PublishAsync(step.Topic!, step.Payload!);
                }
            }
        }

        clock.SetUtcNow(midnight.AddDays(1));
        await Wait.UntilAsync(async () => Offline(await silo.GetJsonAsync("/api/city")) == 1, TimeSpan.FromSeconds(30), "the silent env sensor to be offline city-wide");

        await ApiMatchesAsync(silo, expected);
        await AlarmsMatchAsync(silo, midnight.ToUnixTimeMilliseconds());

        await silo.StopAsync();
        await VictoriaMetricsMatchesAsync(vm, expected);
    }

    private static async Task ApiMatchesAsync(CitySenseInstance silo, DayExpectations expected)
    {
        foreach (var area in expected.Accepted.Keys.Select(k => k.Area).Distinct())
        {
            var path = area == "city" ? "/api/city" : area.Contains('/') ? $"/api/districts/{area.Split('/')[0]}/communities/{area.Split('/')[1]}" : $"/api/districts/{area}";
            var json = (await silo.GetJsonAsync(path))!.Value;
            foreach (var kind in Kinds)
            {
                var k = json.GetProperty("kinds").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == kind);
                var what = $"{area} {kind}";
                Assert.True(expected.Accepted[(area, kind)] == k.GetProperty("accepted").GetInt64(), $"{what}: accepted {k.GetProperty("accepted").GetInt64()}, expected {expected.Accepted[(area, kind)]}");
                Assert.True(expected.Duplicates.GetValueOrDefault((area, kind)) == k.GetProperty("duplicates").GetInt64(), $"{what}: duplicates");
                Assert.True(expected.Late.GetValueOrDefault((area, kind)) == k.GetProperty("late").GetInt64(), $"{what}: late");
                var rejected = area.Contains('/') ? CityDayScenario.Rejected.GetValueOrDefault((area, kind))
                    : CityDayScenario.Rejected.Where(r => area == "city" || r.Key.Area.StartsWith(area + "/", StringComparison.Ordinal)).Where(r => r.Key.Kind == kind).Sum(r => r.Value);
                Assert.True(rejected == k.GetProperty("rejected").GetInt64(), $"{what}: rejected");
                if (RegisterKinds.Contains(kind))
                {
                    Assert.True(expected.Totals[(area, kind)] == k.GetProperty("consumption").GetDecimal(), $"{what}: consumption {k.GetProperty("consumption").GetDecimal()}, expected {expected.Totals[(area, kind)]}");
                }

                if (expected.FlowSums.TryGetValue((area, kind), out var flow))
                {
                    Assert.Equal(flow, k.GetProperty("flowSum").GetDouble(), 9);
                }
            }
        }
    }

    private static async Task AlarmsMatchAsync(CitySenseInstance silo, long midnight)
    {
        var steps = new HashSet<(string Device, string Type, string State)>();
        foreach (var community in new[] { "day-east/a", "day-east/b", "day-west/a", "day-west/b" })
        {
            var json = (await silo.GetJsonAsync($"/api/districts/{community.Split('/')[0]}/communities/{community.Split('/')[1]}"))!.Value;
            foreach (var alarm in json.GetProperty("recentAlarms").EnumerateArray())
            {
                steps.Add((alarm.GetProperty("device").GetString()!, alarm.GetProperty("type").GetString()!, alarm.GetProperty("state").GetString()!));
            }
        }

        Assert.Equal(
            new HashSet<(string, string, string)>
            {
                ("day-east-b-w2", "leak", "Raised"),
                ("day-west-a-l1", "gas-leak", "Raised"),
                ("day-west-a-l1", "gas-leak", "Updated"),
                ("day-west-a-l1", "gas-leak", "Cleared"),
                ("day-east-b-s1", "smoke", "Raised"),
                ("day-east-b-s1", "smoke", "Cleared"),
                ("day-west-b-e1", "offline", "Raised"),
            },
            steps);

        var west = (await silo.GetJsonAsync("/api/districts/day-west/communities/b"))!.Value;
        var offline = Assert.Single(west.GetProperty("activeAlarms").EnumerateArray());
        // It went offline from its last reading (step 47, ingest time = 11:45 + 2 s).
        Assert.Equal(midnight + 47 * CityDayScenario.StepMs + CityDayScenario.LagMs, offline.GetProperty("startMs").GetInt64());
    }

    private static async Task VictoriaMetricsMatchesAsync(VictoriaMetricsServer vm, DayExpectations expected)
    {
        foreach (var (measurement, level) in new[] { ("citysense_community", 3), ("citysense_district", 2), ("citysense_city", 1) })
        {
            var consumption = Index(await vm.ExportAsync($"{measurement}_consumption"));
            var accepted = Index(await vm.ExportAsync($"{measurement}_accepted"));
            foreach (var ((area, kind, window), figures) in expected.Windows.Where(w => Level(w.Key.Area) == level))
            {
                Assert.True(accepted.TryGetValue((area, kind, window), out var a), $"{measurement}_accepted has no point for {area} {kind} {window}");
                // Grain timers follow the silo's fake clock, which this test moves through a whole day, so windows are
                // also written part-way and rewritten; VictoriaMetrics may keep every sample of a rewritten window
                // (docs/influx-schema.md). The final count must be there, and no write may have counted more.
                Assert.True(a.Contains(figures.Accepted) && a.All(v => v <= figures.Accepted),
                    $"{measurement}_accepted for {area} {kind} {window}: [{string.Join(", ", a)}], expected {figures.Accepted}");
                if (RegisterKinds.Contains(kind))
                {
                    Assert.True(consumption.TryGetValue((area, kind, window), out var c), $"{measurement}_consumption has no point for {area} {kind} {window}");
                    Assert.True(c.Any(v => Math.Abs(v - (double)figures.Consumption) < 1e-6),
                        $"{measurement}_consumption for {area} {kind} {window}: [{string.Join(", ", c)}], expected {figures.Consumption}");
                }
            }
        }
    }

    private static int Level(string area) => area == "city" ? 1 : area.Contains('/') ? 3 : 2;

    private static Dictionary<(string Area, string Kind, long Window), List<double>> Index(IReadOnlyList<VictoriaMetricsServer.Series> series)
    {
        var result = new Dictionary<(string, string, long), List<double>>();
        foreach (var s in series)
        {
            var area = s.Labels.TryGetValue("community", out var c) ? $"{s.Labels["district"]}/{c}" : s.Labels.TryGetValue("district", out var d) ? d : "city";
            foreach (var p in s.Samples)
            {
                var key = (area, s.Labels["kind"], p.TimestampMs);
                (result.TryGetValue(key, out var list) ? list : result[key] = []).Add(p.Value);
            }
        }

        return result;
    }

    private static long Offline(JsonElement? city) =>
        city?.GetProperty("summary").GetProperty("devices").EnumerateArray().Sum(d => d.GetProperty("offline").GetInt64()) ?? -1;
}
