using CitySense.Contracts.Scenarios;

namespace CitySense.UnitTests.Scenarios;

public sealed class EnvironmentScenarioTests
{
    [Fact]
    public void Air_quality_and_noise_read_their_own_metrics_of_the_same_environment_sensors()
    {
        var city = new CityStream();
        var random = new Random(5);
        var pm25 = new Dictionary<string, double>();
        var noise = new Dictionary<string, double>();
        for (var c = 0; c < 10; c++)
        {
            var key = $"d{c % 2}/c{c}";
            var pm = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 100).ToArray();
            var db = Enumerable.Range(0, 4).Select(_ => 40 + random.NextDouble() * 45).ToArray();
            pm25[key] = pm.Average();
            noise[key] = db.Average();
            city.Community(key, "env", CityStream.Day0Ms, window: [CityStream.Metric("pm25", pm), CityStream.Metric("noise", db), CityStream.Metric("temperature", 20)]);
        }

        var air = city.Report("air-quality");
        Assert.All(air.Rows, r => Assert.Equal(pm25[r.Area], r.Value, 9));
        Assert.Equal(pm25.Count(p => p.Value > 35), air.Tile.Headline);
        Assert.Equal(pm25.Values.Any(v => v > 75) ? ScenarioStatus.Alarm : pm25.Values.Any(v => v > 35) ? ScenarioStatus.Warning : ScenarioStatus.Ok, air.Tile.Status);
        Assert.Equal(pm25.OrderByDescending(p => p.Value).First().Key, air.Rows.First().Area);

        var loud = city.Report("noise");
        Assert.All(loud.Rows, r => Assert.Equal(noise[r.Area], r.Value, 9));
        Assert.Equal(noise.Count(p => p.Value > 65), loud.Tile.Headline);
    }

    [Fact]
    public void An_environment_update_without_the_metric_keeps_the_communitys_last_figure()
    {
        var city = new CityStream();
        city.Community("d1/c1", "env", CityStream.Day0Ms, window: CityStream.Metric("pm25", 80, 90));
        city.Community("d1/c1", "env", CityStream.Day0Ms + 60_000, window: CityStream.Metric("temperature", 21));

        Assert.Equal(85, city.Row("air-quality", "d1/c1").Value);
        Assert.Empty(city.Report("noise").Rows);
    }
}
