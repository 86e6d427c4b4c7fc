using CitySense.Contracts.Live;
using CitySense.Contracts.Scenarios;
using CitySense.Contracts.Scenarios.Settings;
using CitySense.Contracts.Snapshots;
using CitySense.Grains.Scenarios.Rules;

namespace CitySense.UnitTests.Scenarios;

public sealed class ScenarioSetTests
{
    [Fact]
    public void A_scenario_that_throws_loses_its_update_and_the_others_still_take_theirs()
    {
        var band = new MetricBandScenario("water-pressure", "Water pressure band", "water", new ScenarioOptions().WaterPressure);
        var failures = new List<string>();
        var set = new ScenarioSet([new Throwing(), band]) { Failed = (s, _) => failures.Add(s.Id) };
        var pressures = new[] { 0.05, 0.3 };
        for (var i = 0; i < pressures.Length; i++)
        {
            set.Take(new IndicatorUpdate(i + 1, CityStream.Day0Ms + i, LiveLevels.Community, $"d1/c{i}",
                new KindSnapshot("water", null, null, 1, 1, 0, [], [new WindowSnapshot(0, 60_000, 0, 1, 0, 1, [CityStream.Metric("pressure", pressures[i])])])));
        }

        Assert.Equal(pressures.Length, set.FailuresOf("throwing"));
        Assert.Equal(["throwing", "throwing"], failures);
        Assert.Equal(pressures.Count(p => p < 0.15), set.Report("water-pressure", 10)!.Tile.Headline);
        var tiles = set.Tiles();
        Assert.Equal(ScenarioStatus.Warning, tiles[0].Status);
        Assert.Null(tiles[0].Headline);
        Assert.Equal(pressures.Length + 1, set.FailuresOf("throwing"));
    }

    private sealed class Throwing() : Scenario("throwing", "Throws", "test")
    {
        public override bool Reads(string level, string kind) => true;

        protected override void Apply(IndicatorUpdate update) => throw new InvalidOperationException("a rule's bug");

        public override ScenarioReport Report(int maxRows) => throw new InvalidOperationException("a report's bug");
    }
}
