using CitySense.Contracts.Scenarios;

namespace CitySense.UnitTests.Scenarios;

public sealed class DataScenarioTests
{
    [Fact]
    public void The_data_quality_league_ranks_districts_by_the_clean_share_of_everything_they_received()
    {
        var city = new CityStream();
        var random = new Random(9);
        var totals = new Dictionary<string, (long Accepted, long Received)>();
        foreach (var district in new[] { "north", "south", "east" })
        {
            foreach (var kind in new[] { "water", "heat", "gas" })
            {
                long accepted = random.Next(50, 500), rejected = random.Next(0, 60), duplicates = random.Next(0, 20), late = random.Next(0, 10);
                // An older update of the same kind is replaced, not added.
                city.District(district, kind, CityStream.Day0Ms, accepted / 2);
                city.District(district, kind, CityStream.Day0Ms + 60_000, accepted, rejected, duplicates, late);
                var t = totals.GetValueOrDefault(district);
                totals[district] = (t.Accepted + accepted, t.Received + accepted + rejected + duplicates + late);
            }
        }

        // Community updates are the districts' parts: not counted again.
        city.Community("north/c1", "water", CityStream.Day0Ms, accepted: 1000, rejected: 1000);

        var report = city.Report("data-quality");
        var share = totals.ToDictionary(p => p.Key, p => 100.0 * p.Value.Accepted / p.Value.Received);
        Assert.All(report.Rows, r => Assert.Equal(share[r.Area], r.Value, 9));
        Assert.Equal(share.Values.Min(), report.Tile.Headline!.Value, 9);
        Assert.Equal(totals.Values.Sum(t => t.Received), report.Figures["received"]);
        Assert.Equal(ScenarioStatus.Worst(share.Values.Select(s => s < 80 ? ScenarioStatus.Alarm : s < 95 ? ScenarioStatus.Warning : ScenarioStatus.Ok)), report.Tile.Status);
    }

    [Fact]
    public void Data_sharing_adds_up_the_newest_counts_of_every_api_node()
    {
        var city = new CityStream();
        city.Set.Take(new ApiTraffic("node-a", 100, 100, CityStream.Day0Ms));
        city.Set.Take(new ApiTraffic("node-b", 50, 40, CityStream.Day0Ms));
        city.Set.Take(new ApiTraffic("node-a", 300, 298, CityStream.Day0Ms + 60_000));
        city.Set.Take(ApiTraffic.None);

        var report = city.Report("data-sharing");
        Assert.Equal(100.0 * (298 + 40) / (300 + 50), report.Tile.Headline!.Value, 9);
        Assert.Equal(350, report.Figures["asked"]);
        Assert.Equal(ScenarioStatus.Warning, report.Tile.Status); // 96.6 %
        Assert.Equal("node-b", report.Rows[0].Area);               // 80 %: an alarm on its own
        Assert.Equal(ScenarioStatus.Alarm, report.Rows[0].Status);
    }

    [Fact]
    public void Data_sharing_judges_nothing_before_the_minimum_count()
    {
        var city = new CityStream();
        city.Set.Take(new ApiTraffic("node-a", 10, 5, CityStream.Day0Ms));
        var tile = city.Report("data-sharing").Tile;
        Assert.Equal(50, tile.Headline);
        Assert.Equal(ScenarioStatus.Ok, tile.Status);
    }
}
