using CitySense.Contracts.Scenarios;
using CitySense.Grains;
using Microsoft.Extensions.Configuration;

namespace CitySense.UnitTests.Scenarios;

public sealed class ScenarioCatalogTests
{
    [Fact]
    public void The_catalogue_holds_at_least_twenty_scenarios_with_distinct_ids_and_ok_tiles_before_any_update()
    {
        var tiles = new CityStream().Set.Tiles();
        Assert.True(tiles.Length >= 20, $"{tiles.Length} scenarios");
        Assert.Equal(tiles.Length, tiles.Select(t => t.Id).Distinct().Count());
        Assert.All(tiles, t => Assert.Equal(ScenarioStatus.Ok, t.Status));
        Assert.All(tiles, t => Assert.Matches("^[a-z0-9-]+$", t.Id));
    }

    [Fact]
    public void Before_any_update_a_tile_without_a_headline_says_what_it_is_waiting_for_and_the_night_and_history_tiles_say_how_much()
    {
        var tiles = new CityStream().Set.Tiles().ToDictionary(t => t.Id);
        Assert.All(tiles.Values.Where(t => t.Headline is null), t => Assert.StartsWith("waiting for ", t.Label));
        Assert.Null(tiles["noise"].Headline);
        Assert.Equal("waiting for the first 'noise' readings of 'env'", tiles["noise"].Label);
        Assert.Contains("needs a night of data", tiles["night-flow"].Label);
        Assert.Contains("needs a day of data", tiles["same-hour"].Label);
        // No alarm is a count of zero, not a wait.
        Assert.Equal(0, tiles["smoke"].Headline);
    }

    [Fact]
    public void A_band_tile_counts_zero_once_it_has_seen_its_metric_in_band()
    {
        var city = new CityStream();
        city.Community("d1/c1", "env", CityStream.Day0Ms, window: CityStream.Metric("noise", 50));
        var tile = city.Set.Report("noise", 10)!.Tile;
        Assert.Equal(0, tile.Headline);
        Assert.Equal("communities out of band", tile.Label);
    }

    [Fact]
    public void Rows_beyond_the_maximum_are_cut_but_still_counted()
    {
        var city = new CityStream();
        for (var c = 0; c < 7; c++)
        {
            city.Community($"d1/c{c}", "water", CityStream.Day0Ms, window: CityStream.Metric("pressure", 0.01 * c));
        }

        var report = city.Set.Report("water-pressure", 3)!;
        Assert.Equal(3, report.Rows.Length);
        Assert.Equal(7, report.RowsTotal);
        Assert.Equal(7, report.Tile.Headline);
        Assert.Null(city.Set.Report("no-such-scenario", 3));
    }

    [Fact]
    public void The_default_settings_and_a_valid_override_pass_the_startup_check()
    {
        Assert.Empty(ScenariosConfiguration.Validate(Config([])));
        Assert.Empty(ScenariosConfiguration.Validate(Config(new() { ["Scenarios:WaterPressure:AlarmBelow"] = "0.12", ["Scenarios:DeltaT:Statistic"] = "Extremes" })));
    }

    [Theory]
    [InlineData("Scenarios:WaterPresure:AlarmBelow", "0.1", "WaterPresure")]
    [InlineData("Scenarios:WaterPressure:AlarmBelow", "0.3", "WaterPressure")]
    [InlineData("Scenarios:Leaks:AlarmAt", "0", "Leaks")]
    [InlineData("Scenarios:NightFlow:NightEnd", "01:00:00", "NightFlow")]
    [InlineData("Scenarios:DataSharing:Warning", "120", "DataSharing")]
    [InlineData("Scenarios:SameHour:Days", "abc", "Scenarios")]
    public void A_mistaken_scenario_setting_stops_startup_with_its_name(string key, string value, string named)
    {
        var errors = ScenariosConfiguration.Validate(Config(new() { [key] = value }));
        Assert.Contains(errors, e => e.Contains(named, StringComparison.Ordinal));
    }

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
