using CitySense.Grains.Domain.Devices;

namespace CitySense.UnitTests.Domain;

/// <summary>The register track's own point array: list operations without a list object.</summary>
public sealed class RegisterPointsTests
{
    [Fact]
    public void Inserts_and_removals_keep_the_order_and_grow_by_doubling()
    {
        var points = new RegisterPoints(2);

        points.Add(Point(10));
        points.Add(Point(30));
        points.Insert(1, Point(20));
        points.Insert(0, Point(5));
        points.Add(Point(40));

        Assert.Equal([5L, 10, 20, 30, 40], Times(points));
        Assert.Equal(8, points.Capacity);
        points.RemoveAt(0);
        points.RemoveRange(0, 2);
        Assert.Equal([30L, 40], Times(points));
        Assert.Equal(40, points[^1].TimestampMs);
        points[0] = Point(35);
        Assert.Equal([35L, 40], Times(points));
    }

    [Fact]
    public void Indexes_beyond_the_points_held_are_refused_though_the_array_is_larger()
    {
        var points = new RegisterPoints(4);
        points.Add(Point(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => points[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => points.Insert(2, Point(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => points.RemoveRange(0, 2));
    }

    [Fact]
    public void Capacity_is_given_back_down_to_a_bound_but_never_below_the_points_held()
    {
        var points = new RegisterPoints(2);
        for (var i = 0; i < 9; i++)
        {
            points.Add(Point(i));
        }

        points.TrimCapacity(8);
        Assert.Equal(9, points.Capacity);
        points.RemoveRange(0, 3);
        points.TrimCapacity(8);
        Assert.Equal(8, points.Capacity);
        points.Clear();
        Assert.Equal(0, points.Count);
    }

    private static RegisterPoint Point(long timestampMs) => new(timestampMs, 100m, forced: false, jittered: false);

    private static long[] Times(RegisterPoints points)
    {
        var times = new long[points.Count];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = points[i].TimestampMs;
        }

        return times;
    }
}
