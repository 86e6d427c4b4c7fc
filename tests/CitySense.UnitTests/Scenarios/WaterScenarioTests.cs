using CitySense.Contracts.Alarms;
using CitySense.Contracts.Scenarios;

namespace CitySense.UnitTests.Scenarios;

public sealed class WaterScenarioTests
{
    [Fact]
    public void Night_flow_keeps_each_communitys_smallest_flow_of_the_night_window_and_ignores_the_day()
    {
        var city = new CityStream();
        var random = new Random(7);
        var night = Enumerable.Range(0, 24).Select(i => (AtMs: CityStream.Day0Ms + 2 * CityStream.HourMs + i * 5 * 60_000L, Flow: 0.2 + random.NextDouble() * 3)).ToList();
        foreach (var (atMs, flow) in night)
        {
            city.Community("d1/leaky", "water", atMs, flowSum: flow);
            city.Community("d1/quiet", "water", atMs, flowSum: flow / 100);
        }

        // Midday flows, far smaller than any night one, are not the night's.
        city.Community("d1/leaky", "water", CityStream.Day0Ms + 12 * CityStream.HourMs, flowSum: 0.01);

        var report = city.Report("night-flow");
        var leakyMin = night.Min(n => n.Flow);
        Assert.Equal(leakyMin, city.Row("night-flow", "d1/leaky").Value, 9);
        Assert.Equal(leakyMin / 100, city.Row("night-flow", "d1/quiet").Value, 9);
        var expected = leakyMin > 2 ? ScenarioStatus.Alarm : leakyMin > 0.5 ? ScenarioStatus.Warning : ScenarioStatus.Ok;
        Assert.Equal(expected, city.Row("night-flow", "d1/leaky").Status);
        Assert.Equal(ScenarioStatus.Ok, city.Row("night-flow", "d1/quiet").Status);
        Assert.Equal(expected == ScenarioStatus.Ok ? 0 : 1, report.Tile.Headline);
    }

    [Fact]
    public void Night_flow_reads_the_night_in_the_citys_time_zone()
    {
        // 02:30 in Shanghai is 18:30 UTC the day before.
        var city = new CityStream(timeZone: "Asia/Shanghai");
        city.Community("d1/c1", "water", CityStream.Day0Ms - 5 * CityStream.HourMs - 30 * 60_000, flowSum: 3.25);
        city.Community("d1/c2", "water", CityStream.Day0Ms + 2 * CityStream.HourMs + 30 * 60_000, flowSum: 4.5);

        var report = city.Report("night-flow");
        Assert.Equal(3.25, Assert.Single(report.Rows).Value);
        Assert.Equal(ScenarioStatus.Alarm, report.Tile.Status);
    }

    [Fact]
    public void Bursts_count_active_burst_alarms_per_community_until_cleared_or_acknowledged_and_cleared()
    {
        var city = new CityStream();
        city.Alarm("d1/a", "burst", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: "w1");
        city.Alarm("d1/a", "burst", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: "w2");
        city.Alarm("d2/b", "burst", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: "w3");
        city.Alarm("d2/b", "leak", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: "w4");
        Assert.Equal(3, city.Report("bursts").Tile.Headline);
        Assert.Equal(2, city.Row("bursts", "d1/a").Value);
        Assert.Equal("w1, w2", city.Row("bursts", "d1/a").Note);
        Assert.Equal(ScenarioStatus.Alarm, city.Report("bursts").Tile.Status);

        city.Alarm("d1/a", "burst", AlarmSeverity.Warning, AlarmCondition.ActiveAcknowledged, 2, CityStream.Day0Ms + 60_000, device: "w1");
        city.Alarm("d1/a", "burst", AlarmSeverity.Warning, AlarmCondition.ClearedUnacknowledged, 2, CityStream.Day0Ms + 60_000, device: "w2");
        // An older version announced again after a failover changes nothing.
        city.Alarm("d1/a", "burst", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: "w2");

        var report = city.Report("bursts");
        Assert.Equal(2, report.Tile.Headline);
        Assert.Equal(1, report.Figures["unacknowledged"]);
        Assert.Equal(1, city.Row("bursts", "d1/a").Value);
        Assert.Equal(1, city.Report("leaks").Tile.Headline);
    }

    [Fact]
    public void Leaks_turn_from_warning_to_alarm_at_the_configured_count()
    {
        var city = new CityStream(o => o.Leaks.AlarmAt = 3);
        var statuses = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            city.Alarm($"d1/c{i}", "leak", AlarmSeverity.Warning, AlarmCondition.ActiveUnacknowledged, 1, CityStream.Day0Ms, device: $"w{i}");
            statuses.Add(city.Report("leaks").Tile.Status);
        }

        Assert.Equal([ScenarioStatus.Warning, ScenarioStatus.Warning, ScenarioStatus.Alarm], statuses);
        Assert.Equal(3, city.Report("leaks").Figures["communities"]);
    }

    [Fact]
    public void Water_pressure_judges_each_communitys_newest_window_by_its_minimum_and_maximum()
    {
        var city = new CityStream();
        var low = new[] { 0.3, 0.12, 0.4 };
        var high = new[] { 0.3, 0.85 };
        var fine = new[] { 0.3, 0.35 };
        city.Community("d1/low", "water", CityStream.Day0Ms, window: CityStream.Metric("pressure", low));
        city.Community("d1/high", "water", CityStream.Day0Ms, window: CityStream.Metric("pressure", high));
        city.Community("d1/fine", "water", CityStream.Day0Ms, window: CityStream.Metric("pressure", 0.05));
        // The newest window replaces the older one: this community recovered.
        city.Community("d1/fine", "water", CityStream.Day0Ms + 60_000, window: CityStream.Metric("pressure", fine));
        // Gas pressure (kPa) is not water pressure.
        city.Community("d1/gas", "gas", CityStream.Day0Ms, window: CityStream.Metric("pressure", 3));

        var report = city.Report("water-pressure");
        Assert.Equal(3, report.Rows.Length);
        Assert.Equal(low.Min(), city.Row("water-pressure", "d1/low").Value);
        Assert.Equal(ScenarioStatus.Warning, city.Row("water-pressure", "d1/low").Status);
        Assert.Equal(high.Max(), city.Row("water-pressure", "d1/high").Value);
        Assert.Equal(ScenarioStatus.Alarm, city.Row("water-pressure", "d1/high").Status);
        Assert.Equal(ScenarioStatus.Ok, city.Row("water-pressure", "d1/fine").Status);
        Assert.Equal(2, report.Tile.Headline);
        Assert.Equal(ScenarioStatus.Alarm, report.Tile.Status);
        Assert.Equal("d1/high", report.Rows[0].Area);
    }

    [Fact]
    public void Top_consumers_rank_communities_by_their_latest_consumption_and_keep_the_configured_number()
    {
        var city = new CityStream(o => o.TopConsumers.Top = 3);
        var random = new Random(11);
        var latest = new Dictionary<string, decimal>();
        for (var step = 0; step < 5; step++)
        {
            for (var c = 0; c < 6; c++)
            {
                var key = $"d{c % 2}/c{c}";
                latest[key] = latest.GetValueOrDefault(key) + (decimal)Math.Round(random.NextDouble() * 10, 3);
                city.Community(key, "water", CityStream.Day0Ms + step * 60_000, consumption: latest[key]);
            }
        }

        var report = city.Report("top-consumers");
        var expected = latest.OrderByDescending(p => p.Value).Take(3).ToList();
        Assert.Equal(expected.Select(p => p.Key), report.Rows.Select(r => r.Area));
        Assert.Equal(expected.Select(p => (double)p.Value), report.Rows.Select(r => r.Value));
        Assert.Equal((double)expected[0].Value, report.Tile.Headline);
        Assert.Equal((double)latest.Values.Sum(), report.Figures["total"], 9);
    }

    [Fact]
    public void Same_hour_compares_the_last_complete_hour_with_the_mean_of_that_hour_on_the_previous_days()
    {
        var city = new CityStream(o => o.SameHour.Days = 3);
        var consumption = 0m;
        var perDay = new[] { 1.0m, 2.0m, 3.0m, 5.0m }; // hour 08:00-09:00 of days 0..3; day 3 is "today"
        for (var day = 0; day < 4; day++)
        {
            var hourStart = CityStream.Day0Ms + day * 24 * CityStream.HourMs + 8 * CityStream.HourMs;
            city.Community("d1/c1", "water", hourStart - 60_000, consumption: consumption);
            for (var m = 1; m <= 4; m++)
            {
                consumption += perDay[day] / 4;
                city.Community("d1/c1", "water", hourStart + m * 10 * 60_000, consumption: consumption);
            }
        }

        // An update in the next hour makes 08:00-09:00 of day 3 the last complete hour.
        city.Community("d1/c1", "water", CityStream.Day0Ms + 3 * 24 * CityStream.HourMs + 9 * CityStream.HourMs + 60_000, consumption: consumption);

        var row = city.Row("same-hour", "d1/c1");
        var reference = (double)(perDay[0] + perDay[1] + perDay[2]) / 3;
        Assert.Equal((double)perDay[3] / reference, row.Value, 9);
        Assert.Equal(ScenarioStatus.Alarm, row.Status); // 5 ÷ 2 = 2.5
        Assert.Equal(1, city.Report("same-hour").Tile.Headline);
    }

    [Fact]
    public void Same_hour_books_nothing_for_a_consumption_that_starts_again_after_a_restart()
    {
        var city = new CityStream(o => o.SameHour.Days = 1);
        var hour = CityStream.Day0Ms + 8 * CityStream.HourMs;
        city.Community("d1/c1", "water", hour - 60_000, consumption: 10m);
        city.Community("d1/c1", "water", hour + 60_000, consumption: 12m);
        var today = hour + 24 * CityStream.HourMs;
        city.Community("d1/c1", "water", today - 60_000, consumption: 20m);
        city.Community("d1/c1", "water", today + 60_000, consumption: 0.5m); // restarted: counts begin again
        city.Community("d1/c1", "water", today + 120_000, consumption: 1.5m);
        city.Community("d1/c1", "water", today + CityStream.HourMs + 60_000, consumption: 1.5m);

        Assert.Equal((1.5 - 0.5) / (12 - 10), city.Row("same-hour", "d1/c1").Value, 9);
    }
}
