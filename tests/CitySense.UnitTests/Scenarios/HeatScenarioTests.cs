using CitySense.Contracts.Scenarios;

namespace CitySense.UnitTests.Scenarios;

public sealed class HeatScenarioTests
{
    [Fact]
    public void The_delta_t_league_puts_the_lowest_mean_first_and_judges_it_against_its_floors()
    {
        var city = new CityStream();
        var random = new Random(3);
        var means = new Dictionary<string, double>();
        for (var c = 0; c < 8; c++)
        {
            var values = Enumerable.Range(0, 6).Select(_ => 2 + random.NextDouble() * 20).ToArray();
            means[$"d1/c{c}"] = values.Average();
            city.Community($"d1/c{c}", "heat", CityStream.Day0Ms, window: [CityStream.Metric("deltaT", values), CityStream.Metric("supplyTemp", 70)]);
        }

        var report = city.Report("delta-t");
        var expectedStatus = means.ToDictionary(p => p.Key, p => p.Value < 5 ? ScenarioStatus.Alarm : p.Value < 8 ? ScenarioStatus.Warning : ScenarioStatus.Ok);
        Assert.All(report.Rows, r => Assert.Equal(means[r.Area], r.Value, 9));
        Assert.All(report.Rows, r => Assert.Equal(expectedStatus[r.Area], r.Status));
        Assert.Equal(expectedStatus.Count(p => p.Value != ScenarioStatus.Ok), report.Tile.Headline);
        // Worst first: within a status, the lowest ΔT first.
        var expectedOrder = means.OrderByDescending(p => ScenarioStatus.Rank(expectedStatus[p.Key])).ThenBy(p => p.Value).Select(p => p.Key);
        Assert.Equal(expectedOrder, report.Rows.Select(r => r.Area));
    }

    [Fact]
    public void Return_temperature_watch_flags_communities_whose_mean_return_is_above_the_ceiling()
    {
        var city = new CityStream();
        city.Community("d1/hot", "heat", CityStream.Day0Ms, window: CityStream.Metric("returnTemp", 58, 66, 62));
        city.Community("d1/warm", "heat", CityStream.Day0Ms, window: CityStream.Metric("returnTemp", 54, 58));
        city.Community("d1/cool", "heat", CityStream.Day0Ms, window: CityStream.Metric("returnTemp", 40, 45));

        Assert.Equal(new[] { 58, 66, 62.0 }.Average(), city.Row("return-temperature", "d1/hot").Value, 9);
        Assert.Equal(ScenarioStatus.Alarm, city.Row("return-temperature", "d1/hot").Status);
        Assert.Equal(ScenarioStatus.Warning, city.Row("return-temperature", "d1/warm").Status);
        Assert.Equal(ScenarioStatus.Ok, city.Row("return-temperature", "d1/cool").Status);
        Assert.Equal(2, city.Report("return-temperature").Tile.Headline);
    }

    [Fact]
    public void Heat_coverage_is_the_share_of_heat_communities_whose_supply_reaches_the_minimum()
    {
        var city = new CityStream();
        var supply = new[] { 72.0, 68, 45, 80, 49.9, 51, 90, 75, 66, 71 };
        for (var c = 0; c < supply.Length; c++)
        {
            city.Community($"d{c % 3}/c{c}", "heat", CityStream.Day0Ms, window: CityStream.Metric("supplyTemp", supply[c] - 1, supply[c] + 1));
        }

        var report = city.Report("heat-coverage");
        var covered = supply.Count(s => s >= 50);
        Assert.Equal(100.0 * covered / supply.Length, report.Tile.Headline);
        Assert.Equal(covered, report.Figures["covered"]);
        Assert.Equal(ScenarioStatus.Warning, report.Tile.Status); // 80 %: below 95, not below 80
        Assert.Equal(supply.Length - covered, report.Rows.Count(r => r.Status == ScenarioStatus.Alarm));
    }
}
