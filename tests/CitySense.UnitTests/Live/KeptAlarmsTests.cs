using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Live;
using Xunit;

namespace CitySense.UnitTests.Live;

/// <summary>
/// Alarm events a destination refused are kept per destination in their order, bounded across destinations: past the
/// bound the oldest go first, whichever destination holds them.
/// </summary>
public sealed class KeptAlarmsTests
{
    [Fact]
    public void Each_destination_gets_back_its_events_in_their_order_after_what_it_already_held()
    {
        var kept = new KeptAlarms<string>(capacity: 10);
        kept.Keep("a", [Alarm(1), Alarm(4)]);
        kept.Keep("b", [Alarm(2)]);
        kept.Keep("a", [Alarm(5)]);
        kept.Keep("c", []);

        Assert.Equal(4, kept.Count);
        Assert.Equal(0, kept.Trim());
        var all = kept.TakeAll().ToDictionary(p => p.Key, p => p.Value.Select(a => a.Seq).ToArray());
        Assert.Equal(["a", "b"], all.Keys.Order());
        Assert.Equal([1L, 4L, 5L], all["a"]);
        Assert.Equal([2L], all["b"]);
        Assert.Equal(0, kept.Count);
        Assert.Empty(kept.TakeAll());
    }

    [Fact]
    public void Past_the_bound_the_oldest_events_go_first_whichever_destination_holds_them()
    {
        var kept = new KeptAlarms<string>(capacity: 3);
        kept.Keep("a", [Alarm(3), Alarm(6)]);
        kept.Keep("b", [Alarm(1), Alarm(2), Alarm(5)]);

        Assert.Equal(2, kept.Trim());
        Assert.Equal(3, kept.Count);
        var all = kept.TakeAll().ToDictionary(p => p.Key, p => p.Value.Select(a => a.Seq).ToArray());
        Assert.Equal([3L, 6L], all["a"]);
        Assert.Equal([5L], all["b"]);
    }

    [Fact]
    public void A_destination_whose_events_all_went_is_no_longer_held()
    {
        var kept = new KeptAlarms<string>(capacity: 1);
        kept.Keep("old", [Alarm(1)]);
        kept.Keep("new", [Alarm(2)]);

        Assert.Equal(1, kept.Trim());
        var (key, alarms) = Assert.Single(kept.TakeAll());
        Assert.Equal(("new", 2L), (key, Assert.Single(alarms).Seq));
    }

    private static AlarmUpdate Alarm(long seq) =>
        new(seq, 0, new AlarmEvent($"w{seq}/leak/1", "leak", AlarmSeverity.Warning, AlarmState.Raised, "d", "c", "water", $"w{seq}", 1, null, 1, 1, "m"));
}
