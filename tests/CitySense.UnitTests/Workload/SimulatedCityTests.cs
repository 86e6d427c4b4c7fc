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

    [Fact]
    public void A_generator_started_again_later_continues_every_register_and_seq_from_past_where_the_first_run_left_them()
    {
        var start = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        var first = SimulatedCity.Build(1000, 2, 10, SimulatedCity.AllKinds);
        first.StartCountersAt(start);
        var random = new Random(3);
        var buffer = new byte[ReadingWriter.MaxReadingBytes];
        // 12 s at 100 readings per device per second: the most the head start covers.
        for (var i = 0; i < 1200; i++)
        {
            foreach (var device in first.Devices)
            {
                ReadingWriter.Write(buffer, device, 0, random, includeIdentity: false);
            }
        }

        var again = SimulatedCity.Build(1000, 2, 10, SimulatedCity.AllKinds);
        again.StartCountersAt(start.AddSeconds(12));
        Assert.All(first.Devices.Zip(again.Devices), pair => Assert.True(pair.Second.Register >= pair.First.Register,
            $"{pair.First.Id}: {pair.Second.Register} after {pair.First.Register}"));
        // A repeated seq is a duplicate to CitySense, whatever its timestamp: the second run's must all be new.
        Assert.All(first.Devices.Zip(again.Devices), pair => Assert.True(pair.Second.Seq >= pair.First.Seq,
            $"{pair.First.Id}: seq {pair.Second.Seq} after {pair.First.Seq}"));
    }
}
