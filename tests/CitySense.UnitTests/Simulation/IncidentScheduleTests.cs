using CitySense.Contracts.Alarms;
using CitySense.Contracts.Indicators;
using CitySense.Ingest.Simulation;

namespace CitySense.UnitTests.Simulation;

public sealed class IncidentScheduleTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static readonly (string, string)[] Communities =
        [("district-1", "c101"), ("district-1", "c102"), ("district-1", "c103"), ("district-2", "c201"), ("district-2", "c202"), ("district-2", "c203"), ("district-3", "c301")];

    private static IncidentSchedule Schedule() =>
        new(Communities, waterMetersPerCommunity: 40, new IncidentTiming(First: 40 * Second, Every: 30 * Second, Lasts: 60 * Second, LeakLasts: 75 * Second, BurstLasts: 60 * Second, OfflineLasts: 50 * Second));

    [Fact]
    public void Nothing_happens_before_the_first_incident() =>
        Assert.Empty(Schedule().ActiveAt(39 * Second));

    [Fact]
    public void Every_kind_happens_once_in_the_first_round_each_in_another_community()
    {
        var schedule = Schedule();
        var round = Enumerable.Range(0, 7).Select(n => schedule.Nth(n)).ToArray();

        Assert.Equal(Enum.GetValues<IncidentKind>(), round.Select(i => i.Kind));
        Assert.Equal(7, round.Select(i => i.Community).Distinct().Count());
        Assert.Equal([40, 70, 100, 130, 160, 190, 220], round.Select(i => i.Start.TotalSeconds));
    }

    [Fact]
    public void Each_incident_changes_the_devices_its_rule_watches()
    {
        var schedule = Schedule();

        Assert.Equal(["w-c101-001", "w-c101-002", "w-c101-003"], schedule.Nth(0).Devices);
        // The last water meter reports on its own (the first half report through the gateway).
        Assert.Equal(["w-c102-040"], schedule.Nth(1).Devices);
        Assert.Equal(["gasleak-c103-1"], schedule.Nth(2).Devices);
        Assert.Equal(["smoke-c201-1"], schedule.Nth(3).Devices);
        Assert.Equal(["h-c202-001"], schedule.Nth(4).Devices);
        var offline = schedule.Nth(5);
        Assert.Empty(offline.Devices);
        Assert.True(offline.Affects("district-2", "c203", "anything-in-c203"));
        Assert.False(offline.Affects("district-2", "c202", "h-c202-001"));
        Assert.Equal(["env-c301-1", "env-c301-2"], schedule.Nth(6).Devices);
    }

    [Fact]
    public void A_leak_and_an_offline_community_last_as_long_as_their_timing_says()
    {
        var schedule = Schedule();

        Assert.Equal(75 * Second, schedule.Nth(0).End - schedule.Nth(0).Start);
        Assert.Equal(60 * Second, schedule.Nth(1).End - schedule.Nth(1).Start);
        Assert.Equal(50 * Second, schedule.Nth(5).End - schedule.Nth(5).Start);
    }

    [Fact]
    public void Incidents_overlap_and_end_at_their_end()
    {
        var schedule = Schedule();

        // 100 s: the leak (40–115), the burst (70–130) and the gas leak (100–160).
        Assert.Equal([IncidentKind.NightLeak, IncidentKind.Burst, IncidentKind.GasLeak], schedule.ActiveAt(100 * Second).Select(i => i.Kind));
        Assert.Equal([IncidentKind.Burst, IncidentKind.GasLeak], schedule.ActiveAt(115 * Second).Select(i => i.Kind));
    }

    [Fact]
    public void The_schedule_repeats_the_kinds_shifted_by_one_community_per_round()
    {
        var schedule = Schedule();
        var second = schedule.Nth(7);

        Assert.Equal(IncidentKind.NightLeak, second.Kind);
        Assert.Equal("c102", second.Community);
        Assert.Equal(TimeSpan.FromSeconds(40 + (7 * 30)), second.Start);
        // Hours later the schedule still answers with the incidents under way, and only them.
        var late = TimeSpan.FromHours(5) + (7 * Second);
        Assert.All(schedule.ActiveAt(late), i => Assert.True(i.IsActiveAt(late)));
        Assert.NotEmpty(schedule.ActiveAt(late));
    }

    [Fact]
    public void The_simulator_stretches_a_leak_and_an_offline_community_past_what_their_rules_wait_for()
    {
        var options = new SimulatorOptions { Interval = 5 * Second, IncidentLasts = 10 * Second };
        var schedule = CitySimulator.Schedule(options, new AlarmOptions { ContinuousFlow = TimeSpan.FromMinutes(1) },
            new LivenessOptions { IntervalsOfSilence = 3, MinimumSilence = 30 * Second, CheckInterval = 5 * Second });

        var leak = schedule.Nth(0);
        var offline = schedule.Nth(5);
        Assert.Equal(TimeSpan.FromMinutes(1) + (15 * Second), leak.End - leak.Start);
        Assert.Equal((30 + 5 + 15) * Second, offline.End - offline.Start);
        // A burst ends before its meter's flow has lasted long enough to be a leak too.
        Assert.Equal(10 * Second, schedule.Nth(1).End - schedule.Nth(1).Start);
        var longer = CitySimulator.Schedule(new SimulatorOptions { IncidentLasts = TimeSpan.FromMinutes(5) }, new AlarmOptions { ContinuousFlow = TimeSpan.FromMinutes(1) }, new LivenessOptions());
        Assert.Equal(30 * Second, longer.Nth(1).End - longer.Nth(1).Start);
    }
}
