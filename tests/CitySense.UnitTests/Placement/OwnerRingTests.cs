using CitySense.Grains.Placement;

namespace CitySense.UnitTests.Placement;

public sealed class OwnerRingTests
{
    private static readonly string[] Three = ["S127.0.0.1:11111:1", "S127.0.0.1:11112:2", "S127.0.0.1:11113:3"];

    [Fact]
    public void Every_silo_computes_the_same_owner_whatever_the_order_of_its_list()
    {
        var reversed = Three.Reverse().ToArray();
        for (var d = 0; d < 500; d++)
        {
            var key = $"district-{d}";
            Assert.Equal(Three[OwnerRing.OwnerOf(key, Three)], reversed[OwnerRing.OwnerOf(key, reversed)]);
        }
    }

    [Fact]
    public void Keys_spread_over_the_silos()
    {
        var counts = new int[Three.Length];
        for (var d = 0; d < 3000; d++)
        {
            counts[OwnerRing.OwnerOf($"district-{d}", Three)]++;
        }

        // 1 000 expected each; a hash that favoured a silo would be far off.
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void A_silo_that_leaves_moves_only_its_own_keys()
    {
        var two = new[] { Three[0], Three[2] };
        var moved = 0;
        for (var d = 0; d < 3000; d++)
        {
            var key = $"district-{d}";
            var before = Three[OwnerRing.OwnerOf(key, Three)];
            var after = two[OwnerRing.OwnerOf(key, two)];
            if (before != Three[1])
            {
                Assert.Equal(before, after);
            }
            else
            {
                moved++;
            }
        }

        Assert.InRange(moved, 850, 1150);
    }

    [Fact]
    public void No_silos_no_owner_and_one_silo_owns_everything()
    {
        Assert.Equal(-1, OwnerRing.OwnerOf("district-1", []));
        Assert.Equal(0, OwnerRing.OwnerOf("district-1", [Three[0]]));
    }

    [Theory]
    [InlineData("district-1", "district-1")]
    [InlineData("district-1/c101", "district-1")]
    [InlineData("12/3", "12")]
    public void A_community_is_owned_with_its_district(string key, string owner) => Assert.Equal(owner, OwnerKeys.Area(key));

    [Fact]
    public void A_view_of_one_silo_is_all_local_and_of_two_splits_districts()
    {
        Assert.True(OwnerView.Single("S1").AllLocal);
        var view = new OwnerView(new Orleans.Metadata.MajorMinorVersion(2, 0), [Three[0], Three[1]], 1);
        Assert.False(view.AllLocal);
        var owners = Enumerable.Range(0, 100).Select(d => view.OwnerOfDistrict($"district-{d}")).ToHashSet();
        Assert.Equal([0, 1], owners.Order());
        var shards = Enumerable.Range(0, 32).Select(s => view.OwnerOfShard(s, 32)).ToArray();
        Assert.Contains(0, shards);
        Assert.Contains(1, shards);
        Assert.Equal(shards, Enumerable.Range(0, 32).Select(s => OwnerRing.OwnerOf(OwnerKeys.Shard(s), view.Silos)));
    }
}
