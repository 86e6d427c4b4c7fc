using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using Xunit;

namespace CitySense.UnitTests.Domain;

public sealed class DeviceShardsTests
{
    // Published FNV-1a 32-bit vectors (ASCII: a UTF-16 code unit per byte gives the same hash as the bytes).
    [Theory]
    [InlineData("a", 0xE40C292Cu)]
    [InlineData("foobar", 0xBF9CF968u)]
    [InlineData("", 0x811C9DC5u)]
    public void The_shard_is_fnv1a_of_the_id_modulo_the_count(string id, uint fnv)
    {
        foreach (var count in new[] { 1, 7, 128, 1000 })
        {
            Assert.Equal((int)(fnv % (uint)count), DeviceShards.Of(id, count));
        }
    }

    [Fact]
    public void Ids_that_differ_only_in_their_last_digits_spread_evenly_over_the_shards()
    {
        const int shards = 128, devices = 128_000;
        var counts = new int[shards];
        for (var i = 0; i < devices; i++)
        {
            counts[DeviceShards.Of($"w-{i:D7}", shards)]++;
        }

        // 1 000 expected per shard; a fair spread stays well within ±20 % (about 6 standard deviations).
        Assert.InRange(counts.Min(), 800, 1000);
        Assert.InRange(counts.Max(), 1000, 1200);
    }
}
