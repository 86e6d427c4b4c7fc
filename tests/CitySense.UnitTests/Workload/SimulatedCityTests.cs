using CitySense.Workload;

namespace CitySense.UnitTests.Workload;

public sealed class SimulatedCityTests
{
    [Fact]
    public void The_city_shape_puts_a_citys_mix_of_kinds_in_every_community()
    {
        var city = SimulatedCity.Build(10_000, 10, 100, SimulatedCity.ParseKinds("city"));

        Assert.Equal(100, city.Communities.Count);
        Assert.Equal(10, city.Communities.Select(c => c.District).Distinct().Count());
        foreach (var community in city.Communities)
        {
            var kinds = community.Devices.GroupBy(d => d.Kind).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(new Dictionary<string, int> { ["water"] = 40, ["heat"] = 25, ["gas"] = 20, ["env"] = 6, ["smoke"] = 4, ["gasleak"] = 3, ["manhole"] = 2 }, kinds);
        }
    }

    [Fact]
    public void All_still_means_the_seven_kinds_in_equal_shares() =>
        Assert.Equal(SimulatedCity.AllKinds, SimulatedCity.ParseKinds("all"));
}
