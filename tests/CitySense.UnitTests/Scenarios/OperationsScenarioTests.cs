using CitySense.Contracts.Alarms;
using CitySense.Contracts.Scenarios;

namespace CitySense.UnitTests.Scenarios;

public sealed class OperationsScenarioTests
{
    [Fact]
    public void Alarm_load_counts_the_open_alarms_of_each_district_until_they_are_cleared_and_acknowledged()
    {
        var city = new CityStream(o => o.AlarmLoad.WarningAt = 2);
        var random = new Random(1);
        var open = new Dictionary<string, string>();
        for (var i = 0; i < 12; i++)
        {
            var district = $"d{random.Next(3)}";
            city.Alarm($"{district}/c{i}", i % 2 == 0 ? "leak" : "smoke", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: $"x{i}");
            open[$"x{i}"] = district;
        }

        // Cleared but not acknowledged: still on the list. Cleared and acknowledged: gone.
        city.Alarm($"{open["x0"]}/c0", "leak", AlarmSeverity.Warning, AlarmCondition.ClearedUnacknowledged, 2, CityStream.Day0Ms + 1, device: "x0");
        city.Alarm($"{open["x1"]}/c1", "smoke", AlarmSeverity.Warning, AlarmCondition.ClearedAcknowledged, 3, CityStream.Day0Ms + 2, device: "x1");
        city.Alarm($"{open["x2"]}/c2", "leak", AlarmSeverity.Warning, AlarmCondition.ActiveAcknowledged, 2, CityStream.Day0Ms + 3, device: "x2");
        open.Remove("x1");

        var report = city.Report("alarm-load");
        Assert.Equal(open.Count, report.Tile.Headline);
        foreach (var group in open.GroupBy(p => p.Value))
        {
            Assert.Equal(group.Count(), city.Row("alarm-load", group.Key).Value);
        }

        Assert.Equal(open.Count - 1, report.Figures["unacknowledged"]);
        Assert.Equal(open.GroupBy(p => p.Value).Max(g => g.Count()), report.Rows[0].Value);
    }

    [Fact]
    public void Unacknowledged_critical_alarms_are_listed_with_their_age_until_acknowledged_and_escalation_is_an_alarm()
    {
        var city = new CityStream();
        city.Alarm("d1/a", "gas-leak", AlarmSeverity.Critical, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: "g1", startMs: CityStream.Day0Ms);
        city.Alarm("d1/b", "leak", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: "w1");
        city.Alarm("d2/c", "smoke", AlarmSeverity.Critical, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms + 5 * 60_000, device: "s1", startMs: CityStream.Day0Ms + 5 * 60_000);
        var report = city.Report("unacknowledged-critical");
        Assert.Equal(2, report.Tile.Headline);
        Assert.Equal(ScenarioStatus.Warning, report.Tile.Status);
        Assert.Equal(5, city.Row("unacknowledged-critical", "d1/a").Value);

        city.Alarm("d1/a", "gas-leak", AlarmSeverity.Critical, AlarmCondition.ActiveUnacknowledged, 2, CityStream.Day0Ms + 15 * 60_000, device: "g1", startMs: CityStream.Day0Ms, escalated: true);
        Assert.Equal(ScenarioStatus.Alarm, city.Report("unacknowledged-critical").Tile.Status);
        Assert.Equal(15, city.Row("unacknowledged-critical", "d1/a").Value);

        city.Alarm("d1/a", "gas-leak", AlarmSeverity.Critical, AlarmCondition.ActiveAcknowledged, 3, CityStream.Day0Ms + 16 * 60_000, device: "g1", startMs: CityStream.Day0Ms);
        report = city.Report("unacknowledged-critical");
        Assert.Equal(1, report.Tile.Headline);
        Assert.Equal(ScenarioStatus.Warning, report.Tile.Status);
    }
}
