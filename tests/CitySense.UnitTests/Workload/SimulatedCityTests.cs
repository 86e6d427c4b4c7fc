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

    [Theory]
    [InlineData(1000, 5, 100, 2)]
    [InlineData(1000, 5, 150, 2)]
    [InlineData(1000, 5, 300, 1)]
    [InlineData(1001, 5, 100, 3)]
    [InlineData(3, 10, 100, 1)]
    public void Once_sends_gateway_rounds_until_every_device_of_the_largest_community_had_a_reading(int devices, int communities, int gatewaySize, int expected)
    {
        var city = SimulatedCity.Build(devices, 1, communities, SimulatedCity.CityKinds);

        var rounds = city.RoundsToReachEveryDevice(gatewaySize);

        Assert.Equal(expected, rounds);
        // The walk of the load generator's gateway loop: round r of a community sends devices (r * size + i) % count.
        foreach (var community in city.Communities.Where(c => c.Devices.Count > 0))
        {
            var count = community.Devices.Count;
            var reached = Enumerable.Range(0, rounds).SelectMany(r => Enumerable.Range(0, gatewaySize).Select(i => (int)(((long)r * gatewaySize + i) % count))).ToHashSet();
            Assert.Equal(count, reached.Count);
        }

        // One round fewer leaves some device of the largest community without a reading.
        if (rounds > 1)
        {
            var largest = city.Communities.Max(c => c.Devices.Count);
            Assert.True((rounds - 1) * gatewaySize < largest);
        }
    }

    [Fact]
    public void Once_in_single_mode_is_one_round_over_the_devices() =>
        Assert.Equal(1, SimulatedCity.Build(500, 2, 10, SimulatedCity.CityKinds).RoundsToReachEveryDevice(null));

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
        // 12 s at 100 readings per device per second.
        for (var i = 1; i <= 1200; i++)
        {
            foreach (var device in first.Devices)
            {
                ReadingWriter.Write(buffer, device, start.ToUnixTimeMilliseconds() + (i * 10), random, includeIdentity: false);
            }
        }

        var again = SimulatedCity.Build(1000, 2, 10, SimulatedCity.AllKinds);
        again.StartCountersAt(start.AddSeconds(12));
        Assert.All(first.Devices.Zip(again.Devices), pair => Assert.True(pair.Second.Register >= pair.First.Register,
            $"{pair.First.Id}: {pair.Second.Register} after {pair.First.Register}"));
        // Not a jump either: over the run, at most the kind's highest rate (CitySense holds a step far above a meter's
        // usual rate as a spike).
        Assert.All(first.Devices.Zip(again.Devices), pair => Assert.True(
            pair.Second.Register - pair.First.Register <= (SimulatedCity.HighestRatePerHour(pair.First.Kind) * 12 / 3600) + 0.002,
            $"{pair.First.Id}: {pair.Second.Register} after {pair.First.Register}"));
        // A repeated seq is a duplicate to CitySense, whatever its timestamp: the second run's must all be new.
        Assert.All(first.Devices.Zip(again.Devices), pair => Assert.True(pair.Second.Seq >= pair.First.Seq,
            $"{pair.First.Id}: seq {pair.Second.Seq} after {pair.First.Seq}"));
    }

    [Fact]
    public void A_register_advances_by_its_flow_over_the_time_between_readings_whatever_the_rate_offered()
    {
        var start = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        var random = new Random(5);
        var buffer = new byte[ReadingWriter.MaxReadingBytes];
        var gains = new List<double>();
        foreach (var perSecond in new[] { 1, 100 })
        {
            var city = SimulatedCity.Build(100, 1, 1, ["water"]);
            city.StartCountersAt(start);
            var at = city.Devices.Select(d => d.Register).ToArray();
            for (var i = 1; i <= 60 * perSecond; i++)
            {
                foreach (var device in city.Devices)
                {
                    ReadingWriter.Write(buffer, device, start.ToUnixTimeMilliseconds() + (i * 1000L / perSecond), random, includeIdentity: false);
                }
            }

            gains.Add(city.Devices.Select((d, k) => d.Register - at[k]).Average());
        }

        // A minute at a mean flow of 0.6 m³/h is 0.01 m³, at one reading a second as at a hundred.
        Assert.All(gains, g => Assert.InRange(g, 0.008, 0.012));
    }
}
