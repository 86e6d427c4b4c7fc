using System.Runtime.CompilerServices;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Snapshots;
using CitySense.Grains.Domain.Areas;

namespace CitySense.UnitTests.Domain;

/// <summary>
/// An area keeps its children's counts, and what it last reported and wrote, as values: the summaries that carried
/// them must be free to die young, and what is compared, summed and stored must be what they said.
/// </summary>
public sealed class KeptSummaryTests
{
    [Fact]
    public void Kept_counts_compare_equal_to_the_summary_they_came_from_and_differ_from_any_changed_count()
    {
        var kept = new KeptSummary();
        Assert.True(kept.SameAs(AreaSummary.Empty));

        kept.Keep(Summary(("water", 10, 8, 7, 12.5), ("heat", 4, 4, 4, 1.0)));

        Assert.True(kept.SameAs(Summary(("water", 10, 8, 7, 12.5), ("heat", 4, 4, 4, 1.0))));
        Assert.False(kept.SameAs(Summary(("water", 10, 8, 6, 12.5), ("heat", 4, 4, 4, 1.0))));
        Assert.False(kept.SameAs(Summary(("water", 10, 8, 7, 12.6), ("heat", 4, 4, 4, 1.0))));
        Assert.False(kept.SameAs(Summary(("water", 10, 8, 7, 12.5))));
        Assert.False(kept.SameAs(Summary(("water", 10, 8, 7, 12.5), ("gas", 4, 4, 4, 1.0))));
        Assert.False(kept.SameAs(Summary(("water", 10, 8, 7, 12.5), ("heat", 4, 4, 4, 1.0)) with
        {
            Alarms = [new AlarmCount("water", AlarmSeverity.Warning, 1)],
        }));
    }

    [Fact]
    public void Fewer_kinds_after_more_leave_nothing_of_the_kind_gone()
    {
        var kept = new KeptSummary();
        kept.Keep(Summary(("gas", 3, 3, 3, 0), ("water", 10, 8, 7, 12.5)) with { Alarms = [new AlarmCount("gas", AlarmSeverity.Critical, 2)] });

        kept.Keep(Summary(("water", 9, 8, 7, 12.5)));

        var stored = kept.ToSummary();
        var water = Assert.Single(stored.Devices);
        Assert.Equal(("water", 9L, 8L, 7L, 2L, 12.5), (water.Kind, water.Registered, water.Reporting, water.Online, water.Offline, water.ExpectedPerHour));
        Assert.Empty(stored.Alarms);
        Assert.True(kept.SameAs(Summary(("water", 9, 8, 7, 12.5))));
    }

    [Fact]
    public void The_summary_kept_from_is_not_kept_alive()
    {
        var kept = new KeptSummary();
        var carrier = KeepFreshSummary(kept);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(carrier.TryGetTarget(out _));
        Assert.True(kept.SameAs(Summary(("water", 10, 8, 7, 12.5))));
    }

    [Fact]
    public void What_is_stored_is_built_once_per_change()
    {
        var kept = new KeptSummary();
        kept.Keep(Summary(("water", 10, 8, 7, 12.5)));

        var first = kept.ToSummary();
        kept.Keep(Summary(("water", 10, 8, 7, 12.5)));
        Assert.Same(first, kept.ToSummary());

        kept.Keep(Summary(("water", 10, 8, 8, 12.5)));
        var second = kept.ToSummary();
        Assert.NotSame(first, second);
        Assert.Equal(8, Assert.Single(second.Devices).Online);
    }

    [Fact]
    public void Children_sum_by_kind_in_kind_order_and_alarms_by_kind_then_severity()
    {
        var a = new KeptSummary();
        a.Keep(Summary(("water", 10, 8, 7, 12.5), ("heat", 4, 4, 4, 1.0)) with
        {
            Alarms = [new AlarmCount("water", AlarmSeverity.Critical, 1), new AlarmCount("water", AlarmSeverity.Warning, 2)],
        });
        var b = new KeptSummary();
        b.Keep(Summary(("gas", 5, 5, 2, 3.0), ("water", 1, 1, 1, 0.5)) with
        {
            Alarms = [new AlarmCount("gas", AlarmSeverity.Warning, 4), new AlarmCount("water", AlarmSeverity.Warning, 3)],
        });

        var sum = KeptSummary.Sum([a, b]);

        Assert.Equal(
            [("gas", 5L, 5L, 2L, 3L, 3.0), ("heat", 4L, 4L, 4L, 0L, 1.0), ("water", 11L, 9L, 8L, 3L, 13.0)],
            sum.Devices.Select(d => (d.Kind, d.Registered, d.Reporting, d.Online, d.Offline, d.ExpectedPerHour)));
        Assert.Equal(
            [("gas", AlarmSeverity.Warning, 4L), ("water", AlarmSeverity.Warning, 5L), ("water", AlarmSeverity.Critical, 1L)],
            sum.Alarms.Select(x => (x.Kind, x.Severity, x.Active)));
        Assert.Empty(KeptSummary.Sum([]).Devices);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<AreaSummary> KeepFreshSummary(KeptSummary kept)
    {
        var summary = Summary(("water", 10, 8, 7, 12.5));
        kept.Keep(summary);
        return new WeakReference<AreaSummary>(summary);
    }

    private static AreaSummary Summary(params (string Kind, long Registered, long Reporting, long Online, double PerHour)[] kinds) =>
        new(kinds.Select(k => new DeviceCounts(k.Kind, k.Registered, k.Reporting, k.Online, k.Registered - k.Online) { ExpectedPerHour = k.PerHour }).ToArray(), []);
}
