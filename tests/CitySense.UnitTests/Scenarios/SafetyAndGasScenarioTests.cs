using CitySense.Contracts.Alarms;
using CitySense.Contracts.Scenarios;

namespace CitySense.UnitTests.Scenarios;

public sealed class SafetyAndGasScenarioTests
{
    [Fact]
    public void Gas_pressure_holds_gas_communities_to_the_kilopascal_band()
    {
        var city = new CityStream();
        var readings = new Dictionary<string, double[]>
        {
            ["d1/a"] = [2.5, 0.7, 3.0],
            ["d1/b"] = [0.95, 1.2],
            ["d2/c"] = [2.0, 5.5],
            ["d2/d"] = [2.0, 4.0],
        };
        foreach (var (key, values) in readings)
        {
            city.Community(key, "gas", CityStream.Day0Ms, window: CityStream.Metric("pressure", values));
        }

        var report = city.Report("gas-pressure");
        Assert.Equal(readings["d1/a"].Min(), city.Row("gas-pressure", "d1/a").Value);
        Assert.Equal(ScenarioStatus.Alarm, city.Row("gas-pressure", "d1/a").Status);
        Assert.Equal(ScenarioStatus.Warning, city.Row("gas-pressure", "d1/b").Status);
        Assert.Equal(readings["d2/c"].Max(), city.Row("gas-pressure", "d2/c").Value);
        Assert.Equal(ScenarioStatus.Warning, city.Row("gas-pressure", "d2/c").Status);
        Assert.Equal(ScenarioStatus.Ok, city.Row("gas-pressure", "d2/d").Status);
        Assert.Equal(readings.Count(p => p.Value.Min() < 1.0 || p.Value.Max() > 5.0), report.Tile.Headline);
        Assert.Equal(readings.Values.Min(v => v.Min()), report.Figures["min"]);
    }

    [Fact]
    public void A_critical_gas_leak_makes_its_tile_an_alarm_and_its_clearing_makes_it_ok()
    {
        var city = new CityStream(o => o.GasLeaks.AlarmAt = 5);
        city.Alarm("d1/a", "gas-leak", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: "g1");
        Assert.Equal(ScenarioStatus.Warning, city.Report("gas-leaks").Tile.Status);

        city.Alarm("d1/a", "gas-leak", AlarmSeverity.Critical, AlarmCondition.ActiveUnacknowledged, 2, CityStream.Day0Ms + 60_000, device: "g1");
        var report = city.Report("gas-leaks");
        Assert.Equal(ScenarioStatus.Alarm, report.Tile.Status);
        Assert.Equal(1, report.Figures["critical"]);
        Assert.Equal(ScenarioStatus.Alarm, city.Row("gas-leaks", "d1/a").Status);

        city.Alarm("d1/a", "gas-leak", AlarmSeverity.Critical, AlarmCondition.ClearedUnacknowledged, 3, CityStream.Day0Ms + 120_000, device: "g1");
        Assert.Equal(ScenarioStatus.Ok, city.Report("gas-leaks").Tile.Status);
        Assert.Equal(0, city.Report("gas-leaks").Tile.Headline);
    }

    [Fact]
    public void Smoke_and_manholes_each_count_only_their_own_alarm_type()
    {
        var city = new CityStream();
        var smokes = new[] { "d1/a", "d1/a", "d2/b" };
        for (var i = 0; i < smokes.Length; i++)
        {
            city.Alarm(smokes[i], "smoke", AlarmSeverity.Critical, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: $"s{i}");
        }

        city.Alarm("d2/b", "manhole-open", AlarmSeverity.Warning, AlarmCondition.ActiveAcknowledged, 2, CityStream.Day0Ms, device: "m1");
        city.Alarm("d2/c", "manhole-open", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: "m2");

        Assert.Equal(smokes.Length, city.Report("smoke").Tile.Headline);
        Assert.Equal(smokes.Count(s => s == "d1/a"), city.Row("smoke", "d1/a").Value);
        Assert.Equal(ScenarioStatus.Alarm, city.Report("smoke").Tile.Status);
        var manholes = city.Report("manholes");
        Assert.Equal(2, manholes.Tile.Headline);
        Assert.Equal(ScenarioStatus.Warning, manholes.Tile.Status); // alarm from 3
        Assert.Equal(1, manholes.Figures["unacknowledged"]);
    }
}
