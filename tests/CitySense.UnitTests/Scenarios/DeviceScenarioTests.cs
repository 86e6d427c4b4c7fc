using CitySense.Contracts.Alarms;
using CitySense.Contracts.Scenarios;

namespace CitySense.UnitTests.Scenarios;

public sealed class DeviceScenarioTests
{
    [Fact]
    public void The_offline_league_ranks_communities_by_their_devices_offline_now()
    {
        var city = new CityStream();
        var offline = new[] { ("d1/a", "w1"), ("d1/a", "w2"), ("d1/a", "h1"), ("d2/b", "g1"), ("d2/c", "s1") };
        foreach (var (key, device) in offline)
        {
            city.Alarm(key, "offline", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: device);
        }

        // s1 reports again: its offline alarm clears.
        city.Alarm("d2/c", "offline", AlarmSeverity.Warning, AlarmCondition.ClearedUnacknowledged, 2, CityStream.Day0Ms + 60_000, device: "s1");

        var report = city.Report("offline-devices");
        Assert.Equal(offline.Length - 1, report.Tile.Headline);
        Assert.Equal(["d1/a", "d2/b"], report.Rows.Select(r => r.Area));
        Assert.Equal(offline.Count(o => o.Item1 == "d1/a"), report.Rows[0].Value);
        Assert.Equal(ScenarioStatus.Warning, report.Tile.Status);
    }

    [Fact]
    public void Low_batteries_take_the_smallest_battery_of_every_kind_in_each_community()
    {
        var city = new CityStream();
        city.Community("d1/a", "water", CityStream.Day0Ms, window: [CityStream.Metric("battery", 80, 15, 60), CityStream.Metric("flow", 1)]);
        city.Community("d1/a", "smoke", CityStream.Day0Ms, window: CityStream.Metric("battery", 9, 95));
        city.Community("d1/b", "gas", CityStream.Day0Ms, window: CityStream.Metric("battery", 55));

        var report = city.Report("low-batteries");
        Assert.Equal(3, report.Rows.Length);
        var smoke = report.Rows.Single(r => r.Note == "smoke");
        Assert.Equal(9, smoke.Value);
        Assert.Equal(ScenarioStatus.Alarm, smoke.Status);
        Assert.Equal(15, report.Rows.Single(r => r.Note == "water").Value);
        Assert.Equal(ScenarioStatus.Warning, report.Rows.Single(r => r.Note == "water").Status);
        Assert.Equal(2, report.Tile.Headline);
        Assert.Equal(2, report.Figures["communities"]);
        Assert.Equal("smoke", report.Rows[0].Note);
    }

    [Fact]
    public void Rejections_sum_every_kinds_rejected_readings_per_community_and_judge_their_share()
    {
        var city = new CityStream();
        var counts = new[] { ("d1/a", "water", 90L, 10L), ("d1/a", "heat", 50L, 0L), ("d1/b", "gas", 70L, 30L), ("d1/c", "water", 100L, 0L), ("d2/d", "env", 5L, 3L) };
        foreach (var (key, kind, accepted, rejected) in counts)
        {
            city.Community(key, kind, CityStream.Day0Ms, accepted: accepted, rejected: rejected);
        }

        var report = city.Report("rejections");
        Assert.Equal(counts.Sum(c => c.Item4), report.Tile.Headline);
        Assert.Equal(["d1/b", "d1/a", "d2/d"], report.Rows.Select(r => r.Area));
        Assert.Equal(ScenarioStatus.Alarm, city.Row("rejections", "d1/b").Status);   // 30 %
        Assert.Equal(ScenarioStatus.Warning, city.Row("rejections", "d1/a").Status); // 10 of 150
        Assert.Equal(ScenarioStatus.Ok, city.Row("rejections", "d2/d").Status);      // 8 received: not judged
        Assert.Equal(counts.Sum(c => c.Item3 + c.Item4), report.Figures["received"]);
    }
}
