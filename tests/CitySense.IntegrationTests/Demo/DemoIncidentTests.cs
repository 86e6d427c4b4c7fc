using System.Globalization;
using System.Text.Json;
using CitySense.IntegrationTests.EndToEnd;
using CitySense.IntegrationTests.Fixtures;
using Xunit;

namespace CitySense.IntegrationTests.Demo;

/// <summary>
/// The real executable started with --demo, its incident schedule shortened by settings (one reading a second, a new
/// incident every 2 s): every scheduled incident raises its alarm through the real MQTT path and the alarm rules, the
/// incidents end and their alarms clear, and the demo operator acknowledges what nobody else did.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DemoIncidentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>The alarm types the schedule's incidents raise: night leak, burst (and its pressure drop), gas leak, smoke, ΔT drop, offline (air pollution raises none: only its scenario tile shows it).</summary>
    private static readonly string[] Raised = ["leak", "burst", "pressure-low", "gas-leak", "smoke", "low-delta-t", "offline"];

    [Fact]
    public async Task Every_incident_of_the_demo_raises_its_alarm_which_clears_when_it_ends_and_the_demo_operator_acknowledges_them()
    {
        var mqttPort = FreePort.Next();
        await using var silo = await SiloProcess.StartAsync(
            "--demo",
            $"--Mqtt:Port={mqttPort.ToString(CultureInfo.InvariantCulture)}",
            "--Demo:Interval=00:00:01",
            "--Demo:WaterMetersPerCommunity=4",
            "--Demo:FirstIncidentAfter=00:00:06",
            "--Demo:IncidentEvery=00:00:02",
            "--Demo:IncidentLasts=00:00:06",
            "--Demo:AcknowledgeAfter=00:00:02",
            "--Alarms:ContinuousFlow=00:00:08",
            "--Liveness:MinimumSilence=00:00:03",
            "--Liveness:CheckInterval=00:00:01");

        // Each type raised by the schedule, its rule cleared it (or the device reported again), and nothing else raised:
        // the city's values stay inside every band between incidents.
        var alarms = await Wait.UntilAsync(
            async () => (await silo.GetJsonAsync("/api/alarms/history?limit=1000")).GetProperty("alarms").EnumerateArray().Select(a => a.Clone()).ToArray(),
            all => Raised.All(type => all.Any(a => Type(a) == type && State(a) == "Cleared")),
            Patience,
            "an alarm of each incident type, cleared");
        Assert.All(alarms, a => Assert.Contains(Type(a), Raised));

        // A warning nobody else acknowledged went raised → acknowledged by the demo operator → cleared.
        var warnings = alarms.Where(a => Type(a) is "leak" or "low-delta-t" && State(a) == "Cleared").ToArray();
        Assert.Contains(warnings, a =>
        {
            var trail = a.GetProperty("audit").EnumerateArray().Select(e => (Action: e.GetProperty("action").GetString(), By: e.GetProperty("by").GetString())).ToArray();
            return trail.Length >= 3 && trail[0] == ("Raised", "rule") && trail.Contains(("Acknowledged", "demo operator")) && trail.Contains(("Cleared", "rule"));
        });

        // Critical alarms are left to the person watching while active, then closed by the demo operator once cleared.
        await Wait.UntilAsync(
            async () => (await silo.GetJsonAsync("/api/alarms/history?limit=1000")).GetProperty("alarms").EnumerateArray()
                .Any(a => Type(a) == "gas-leak" && a.GetProperty("status").GetProperty("condition").GetString() == "ClearedAcknowledged"
                    && a.GetProperty("status").GetProperty("acknowledgedBy").GetString() == "demo operator"
                    && a.GetProperty("audit").EnumerateArray().Select(e => e.GetProperty("action").GetString()).SequenceEqual(["Raised", "Cleared", "Acknowledged"])),
            Patience,
            "a gas leak acknowledged by the demo operator after it cleared");
    }

    [Fact]
    public async Task Under_the_demo_every_scenario_tile_gets_a_headline_but_those_that_need_a_night_or_a_day_of_data_which_say_so()
    {
        var mqttPort = FreePort.Next();
        await using var silo = await SiloProcess.StartAsync(
            "--demo",
            $"--Mqtt:Port={mqttPort.ToString(CultureInfo.InvariantCulture)}",
            "--Demo:Interval=00:00:01",
            "--Demo:WaterMetersPerCommunity=4",
            "--Demo:FirstIncidentAfter=00:00:03",
            "--Demo:IncidentEvery=00:00:02",
            "--Demo:IncidentLasts=00:00:04");

        // By design: the night's minimum flow exists only between 02:00 and 04:00, the same hour's reference a day later.
        string[] waitingByDesign = ["night-flow", "same-hour"];
        var tiles = await Wait.UntilAsync(
            async () => (await silo.GetJsonAsync("/api/scenarios")).EnumerateArray().Select(t => t.Clone()).ToArray(),
            all => all.All(t => Headline(t) is not null || waitingByDesign.Contains(Id(t))),
            Patience,
            "a headline on every tile but the night's and the same hour's");
        Assert.True(tiles.Length >= 20, $"{tiles.Length} tiles");
        Assert.All(tiles.Where(t => Headline(t) is null), t => Assert.StartsWith("waiting for ", t.GetProperty("label").GetString()));

        // The simulator sends every metric a band reads, inside the band outside incidents (and no incident touches
        // these two; the air-pollution incident trips air-quality).
        foreach (var id in new[] { "noise", "low-batteries" })
        {
            var tile = tiles.Single(t => Id(t) == id);
            Assert.Equal(0, Headline(tile));
            Assert.Equal("ok", tile.GetProperty("status").GetString());
        }
    }

    private static string? Id(JsonElement tile) => tile.GetProperty("id").GetString();

    private static double? Headline(JsonElement tile) =>
        tile.GetProperty("headline") is { ValueKind: JsonValueKind.Number } headline ? headline.GetDouble() : null;

    private static string? Type(JsonElement record) => record.GetProperty("alarm").GetProperty("type").GetString();

    private static string? State(JsonElement record) => record.GetProperty("alarm").GetProperty("state").GetString();
}
