using CitySense.Contracts.Alarms;
using CitySense.Contracts.Live;
using CitySense.Live;
using Microsoft.Extensions.Options;

namespace CitySense.UnitTests.Live;

public class AlarmBookTests
{
    private long _seq;

    [Fact]
    public void Past_the_bound_the_alarm_updated_longest_ago_is_forgotten_and_counted()
    {
        var book = new AlarmBook(Options.Create(new LiveOptions { ActiveAlarmsKept = 3 }));
        book.Apply(Raise("a"));
        book.Apply(Raise("b"));
        book.Apply(Raise("c"));
        // "a" changes again: now "b" is the one updated longest ago.
        book.Apply(Raise("a"));
        book.Apply(Raise("d"));

        Assert.Equal(["a", "c", "d"], book.Active().Select(a => a.Device).Order());
        Assert.Equal(1, book.ActiveForgotten);

        book.Apply(Raise("e"));
        Assert.Equal(["a", "d", "e"], book.Active().Select(a => a.Device).Order());
        Assert.Equal(2, book.ActiveForgotten);
    }

    [Fact]
    public void A_closed_alarm_leaves_the_list_and_frees_its_place()
    {
        var book = new AlarmBook(Options.Create(new LiveOptions { ActiveAlarmsKept = 2 }));
        book.Apply(Raise("a"));
        book.Apply(Raise("b"));
        book.Apply(Raise("a", AlarmState.Cleared));
        book.Apply(Raise("c"));

        Assert.Equal(["b", "c"], book.Active().Select(a => a.Device).Order());
        Assert.Equal(0, book.ActiveForgotten);
    }

    [Fact]
    public void An_older_version_does_not_replace_a_newer_one()
    {
        var book = new AlarmBook(Options.Create(new LiveOptions()));
        book.Apply(Raise("a") with { Status = Status("a", version: 3) });
        book.Apply(Raise("a", AlarmState.Cleared) with { Status = Status("a", version: 2, closed: true) });

        Assert.Equal(["a"], book.Active().Select(a => a.Device));
    }

    [Fact]
    public void The_recent_events_are_the_newest_within_the_bound_newest_first()
    {
        var book = new AlarmBook(Options.Create(new LiveOptions { RecentAlarmsKept = 3 }));
        foreach (var device in new[] { "a", "b", "c", "d", "e" })
        {
            book.Apply(Raise(device));
        }

        Assert.Equal(["e", "d", "c"], book.Recent().Select(u => u.Alarm.Device));
        book.Apply(Raise("f"));
        Assert.Equal(["f", "e", "d"], book.Recent().Select(u => u.Alarm.Device));
    }

    [Fact]
    public void An_updated_alarm_keeps_one_place_with_its_newest_update_and_moves_behind_the_others()
    {
        var book = new AlarmBook(Options.Create(new LiveOptions { ActiveAlarmsKept = 2 }));
        book.Apply(Raise("a"));
        book.Apply(Raise("b"));
        book.Apply(Raise("a") with { Alarm = Raise("a").Alarm with { Severity = AlarmSeverity.Critical } });

        var a = Assert.Single(book.ActiveUpdates(x => x.Device == "a"));
        Assert.Equal(AlarmSeverity.Critical, a.Alarm.Severity);
        Assert.Equal(2, book.Active().Count);

        // "b" is now the one updated longest ago: a new alarm past the bound forgets it, not "a".
        book.Apply(Raise("c"));
        Assert.Equal(["a", "c"], book.Active().Select(x => x.Device).Order());
        Assert.Equal(1, book.ActiveForgotten);
    }

    private AlarmUpdate Raise(string device, AlarmState state = AlarmState.Raised) =>
        new(++_seq, _seq, new AlarmEvent($"{device}/leak/1", "leak", AlarmSeverity.Warning, state, "d", "c", "water", device, 1, null, 1, 1, "m"));

    private static AlarmStatus Status(string device, long version, bool closed = false) =>
        new($"{device}/leak/1", closed ? AlarmCondition.ClearedAcknowledged : AlarmCondition.ActiveUnacknowledged, version, 1, null, null, null, null, null);
}
