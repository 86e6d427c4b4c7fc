using System.Globalization;
using CitySense.Contracts.History;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using CitySense.Contracts.Vee;
using CitySense.Grains.Domain.Areas;
using CitySense.Grains.Domain.Devices;
using CitySense.Grains.Domain.History;

namespace CitySense.UnitTests.History;

/// <summary>
/// A month of four water meters in one community of one district, on a simulated clock (every timestamp is given, no
/// timer runs): the devices, the community and the district fold readings as the grains do, and both areas push their
/// history at every local hour's end, as their flush timers would. Europe/Berlin's October has its 25-hour day. Meter w2
/// is silent for two days (10–11 October), w3 for five (15–19 October): their registers move on meanwhile. On 22 October
/// at 14:00 w1 bursts (20 m³ in a quarter hour): that reading is held as suspect, the readings after it go on from its
/// level (confirming it) and count as usual, and an operator accepts it at 16:00.
/// </summary>
public sealed class SimulatedMonthTests
{
    private const string Community = "north/c1";
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly IndicatorOptions Options = new() { Window = TimeSpan.FromMinutes(1), WindowsKept = 100_000 };
    private static readonly HistoryOptions History = new() { HoursKept = TimeSpan.FromDays(40) };
    private static readonly string[] Meters = ["w1", "w2", "w3", "w4"];
    private static readonly DateOnly First = new(2026, 10, 1);
    private static readonly DateOnly Last = new(2026, 10, 31);
    private static readonly VeeOptions Vee = new();

    [Fact]
    public async Task A_burst_is_held_as_suspect_and_lands_in_its_own_hour_once_accepted()
    {
        var run = await Month.RunAsync();
        // Held: the burst's reading alone; the next one went on from its level and confirmed it. Its step was missing from
        // the totals until the operator accepted it.
        var held = Assert.Single(run.Held);
        Assert.NotNull(held.LevelConfirmedAtMs);
        Assert.Equal(run.HeldMovement, run.MovementAtAccept - run.ConsumptionBeforeAccept);
        Assert.True(run.HeldMovement > 20m);

        var calendar = new LocalCalendar(Berlin);
        var day = calendar.DayStart(new DateOnly(2026, 10, 22));
        var hours = (await run.CommunityArchive.QueryAsync(new HistoryQuery("water", day, day + (24 * LocalCalendar.HourMs), HistoryStep.Hour), run.CommunityPending))
            .ToDictionary(h => h.LocalStart[11..13]);
        Assert.True(hours["14"].Consumption > 20m, $"14:00 holds the burst: {hours["14"].Consumption}");
        Assert.Equal((1, 0, 0), (hours["14"].Suspects, hours["15"].Suspects, hours["16"].Suspects));
        Assert.Equal(run.Movement(), run.Community.ConsumptionOf("water"));
        Assert.Equal(run.Movement(), run.District.ConsumptionOf("water"));
    }

    [Fact]
    public async Task A_meter_silent_for_two_days_is_estimated_over_them_and_one_silent_for_five_is_not()
    {
        var run = await Month.RunAsync();
        var query = new HistoryQuery(null, run.StartMs, run.EndMs, HistoryStep.Day);
        var w2 = (await run.CommunityArchive.QueryMeterAsync("w2", query, run.CommunityPending)).ToDictionary(d => d.LocalStart[..10]);
        foreach (var day in new[] { "2026-10-10", "2026-10-11" })
        {
            // The step over the gap, spread evenly: each silent day gets about half of it, flagged estimated.
            Assert.True(w2[day].Estimated > 0 && w2[day].Estimated == w2[day].Consumption, $"{day}: {w2[day]}");
        }

        Assert.InRange(w2["2026-10-10"].Consumption / w2["2026-10-11"].Consumption, 0.99m, 1.01m);
        Assert.Equal(0, w2["2026-10-08"].Estimated);
        // The gap starts at the last reading (23:45 on the 9th): its last quarter hour is the 9th's share.
        Assert.InRange(w2["2026-10-09"].Estimated, 0.000001m, w2["2026-10-10"].Estimated / 50);

        var w3 = (await run.CommunityArchive.QueryMeterAsync("w3", query, run.CommunityPending)).ToDictionary(d => d.LocalStart[..10]);
        Assert.DoesNotContain("2026-10-16", w3.Keys);
        Assert.Equal(0, w3["2026-10-20"].Estimated);
        Assert.True(w3["2026-10-20"].Consumption > w3["2026-10-21"].Consumption * 3, "the five days' step stays in the day the meter came back");

        var days = (await run.CommunityArchive.QueryAsync(query with { Kind = "water" }, run.CommunityPending)).ToDictionary(d => d.LocalStart[..10]);
        Assert.Equal(1, days["2026-10-12"].GapsEstimated);
        Assert.Equal(1, days["2026-10-20"].GapsNotEstimated);
        Assert.Equal(w2["2026-10-10"].Estimated, days["2026-10-10"].Estimated);
        // Silent meters still count as expected: the day's completeness, so its quality score, drops.
        Assert.True(days["2026-10-10"].ReadingsAccepted < days["2026-10-10"].ReadingsExpected);
        Assert.True(days["2026-10-10"].QualityScore < days["2026-10-05"].QualityScore);
    }

    [Fact]
    public async Task Every_day_is_the_sum_of_its_hours_and_of_its_windows_and_the_month_the_sum_of_its_days()
    {
        var run = await Month.RunAsync();
        var days = await run.CommunityArchive.QueryAsync(new HistoryQuery("water", run.StartMs, run.EndMs, HistoryStep.Day), run.CommunityPending);
        var hours = await run.CommunityArchive.QueryAsync(new HistoryQuery("water", run.StartMs, run.EndMs, HistoryStep.Hour), run.CommunityPending);
        var months = await run.CommunityArchive.QueryAsync(new HistoryQuery("water", run.StartMs, run.EndMs, HistoryStep.Month), run.CommunityPending);

        Assert.Equal(31, days.Length);
        foreach (var day in days)
        {
            var ofDay = hours.Where(h => h.StartMs >= day.StartMs && h.StartMs < day.EndMs).ToList();
            Assert.Equal(day.Consumption, ofDay.Sum(h => h.Consumption));
            Assert.Equal(day.ReadingsAccepted, ofDay.Sum(h => h.ReadingsAccepted));
            Assert.Equal(day.ReadingsExpected, ofDay.Sum(h => h.ReadingsExpected), 6);
            Assert.Equal(day.FlowMax, ofDay.Max(h => h.FlowMax));
            var windows = run.Community.ToSnapshot(Options.WindowsKept).Single().Windows.Where(w => w.StartMs >= day.StartMs && w.StartMs < day.EndMs);
            Assert.Equal(day.Consumption, windows.Sum(w => w.Consumption));
        }

        var month = Assert.Single(months);
        Assert.Equal(month.Consumption, days.Sum(d => d.Consumption));
        Assert.Equal(month.ReadingsAccepted, days.Sum(d => d.ReadingsAccepted));
        Assert.Equal(run.Movement(), month.Consumption);
        Assert.Equal(run.Community.ConsumptionOf("water"), month.Consumption);
    }

    [Fact]
    public async Task The_district_and_the_meters_days_add_up_to_the_community()
    {
        var run = await Month.RunAsync();
        var query = new HistoryQuery("water", run.StartMs, run.EndMs, HistoryStep.Day);
        var community = await run.CommunityArchive.QueryAsync(query, run.CommunityPending);
        var district = await run.DistrictArchive.QueryAsync(query, run.DistrictPending);
        Assert.Equal(community.Select(d => (d.StartMs, d.Consumption)), district.Select(d => (d.StartMs, d.Consumption)));

        var meters = new List<MeterDay>();
        foreach (var meter in Meters)
        {
            var days = await run.CommunityArchive.QueryMeterAsync(meter, query, run.CommunityPending);
            Assert.Equal(run.Movement(meter), days.Sum(d => d.Consumption));
            meters.AddRange(days);
        }

        foreach (var day in community)
        {
            Assert.Equal(day.Consumption, meters.Where(m => m.StartMs == day.StartMs).Sum(m => m.Consumption));
        }

        var monthly = await run.CommunityArchive.QueryMeterAsync("w1", query with { Step = HistoryStep.Month }, run.CommunityPending);
        Assert.Equal(run.Movement("w1"), Assert.Single(monthly).Consumption);
    }

    [Fact]
    public async Task The_day_clocks_go_back_has_25_hours_and_a_normal_day_24()
    {
        var run = await Month.RunAsync();
        var calendar = new LocalCalendar(Berlin);
        int HoursOf(DateOnly day) => run.CommunityArchive.QueryAsync(
            new HistoryQuery("water", calendar.DayStart(day), calendar.DayEnd(day), HistoryStep.Hour), run.CommunityPending).Result.Length;

        Assert.Equal(25, HoursOf(new DateOnly(2026, 10, 25)));
        Assert.Equal(24, HoursOf(new DateOnly(2026, 10, 24)));
        var days = await run.CommunityArchive.QueryAsync(new HistoryQuery("water", run.StartMs, run.EndMs, HistoryStep.Day), run.CommunityPending);
        var autumn = days.Single(d => d.LocalStart.StartsWith("2026-10-25", StringComparison.Ordinal));
        Assert.Equal(25 * LocalCalendar.HourMs, autumn.EndMs - autumn.StartMs);
    }

    [Fact]
    public async Task Expected_readings_follow_the_meters_intervals_and_score_a_complete_hour_full()
    {
        var run = await Month.RunAsync();
        var calendar = new LocalCalendar(Berlin);
        var day = calendar.DayStart(new DateOnly(2026, 10, 5));
        var hours = await run.CommunityArchive.QueryAsync(new HistoryQuery("water", day, day + (24 * LocalCalendar.HourMs), HistoryStep.Hour), run.CommunityPending);
        // Four meters every 15 minutes: 16 readings an hour, all arrived, all timely.
        Assert.All(hours, h =>
        {
            Assert.Equal(16, h.ReadingsAccepted);
            Assert.Equal(16, h.ReadingsExpected, 6);
            Assert.Equal(100, h.QualityScore);
        });
    }

    [Fact]
    public async Task Night_flow_is_the_lowest_flow_between_two_and_four_local()
    {
        var run = await Month.RunAsync();
        var days = await run.CommunityArchive.QueryAsync(new HistoryQuery("water", run.StartMs, run.EndMs, HistoryStep.Day), run.CommunityPending);
        var hours = await run.CommunityArchive.QueryAsync(new HistoryQuery("water", run.StartMs, run.EndMs, HistoryStep.Hour), run.CommunityPending);
        foreach (var day in days.Where(d => d.LocalStart.StartsWith("2026-10-0", StringComparison.Ordinal)))
        {
            var night = hours.Where(h => h.StartMs >= day.StartMs && h.StartMs < day.EndMs
                && (h.LocalStart[11..13] == "02" || h.LocalStart[11..13] == "03")).ToList();
            Assert.NotEmpty(night);
            Assert.Equal(night.Min(h => h.NightFlowMin), day.NightFlowMin);
            Assert.True(day.NightFlowMin < day.FlowMean, "night flow is the low of the day");
        }
    }

    [Fact]
    public async Task A_push_that_failed_half_way_and_is_retried_counts_nothing_twice()
    {
        var run = await Month.RunAsync(failPushes: true);
        foreach (var step in Enum.GetValues<HistoryStep>())
        {
            var buckets = await run.CommunityArchive.QueryAsync(new HistoryQuery("water", run.StartMs, run.EndMs, step), run.CommunityPending);
            Assert.Equal(run.Movement(), buckets.Sum(b => b.Consumption));
            Assert.Equal(run.Published, buckets.Sum(b => b.ReadingsAccepted));
        }

        var meter = await run.CommunityArchive.QueryMeterAsync("w2", new HistoryQuery(null, run.StartMs, run.EndMs, HistoryStep.Month), run.CommunityPending);
        Assert.Equal(run.Movement("w2"), Assert.Single(meter).Consumption);
        Assert.True(run.FailedPushes > 20, $"pushes failed: {run.FailedPushes}");
    }

    private sealed class Month
    {
        private readonly Dictionary<string, DeviceState> _devices = [];
        private readonly Dictionary<string, (decimal First, decimal Last)> _registers = new(StringComparer.Ordinal);
        private readonly ConsumptionLedger _communityLedger = new();
        private readonly ConsumptionLedger _districtLedger = new();
        private readonly DeviceRoster _roster = new(new LivenessOptions());
        private readonly MemoryHistoryRecords _communityRecords = new();

        private Month()
        {
            var calendar = new LocalCalendar(Berlin);
            StartMs = calendar.DayStart(First);
            EndMs = calendar.DayEnd(Last);
            CommunityPending = new PendingHistory(new LocalCalendar(Berlin), new NightWindow(TimeSpan.FromHours(2), TimeSpan.FromHours(4)));
            DistrictPending = new PendingHistory(new LocalCalendar(Berlin), new NightWindow(TimeSpan.FromHours(2), TimeSpan.FromHours(4)));
            Community = new AreaAggregate(Options, CommunityPending);
            District = new AreaAggregate(Options, DistrictPending);
            CommunityArchive = new HistoryArchive("community/" + Community, _communityRecords, CommunityPending.Calendar, History);
            DistrictArchive = new HistoryArchive("district/north", new MemoryHistoryRecords(), DistrictPending.Calendar, History);
        }

        public long StartMs { get; }
        public long EndMs { get; }
        public AreaAggregate Community { get; }
        public AreaAggregate District { get; }
        public PendingHistory CommunityPending { get; }
        public PendingHistory DistrictPending { get; }
        public HistoryArchive CommunityArchive { get; }
        public HistoryArchive DistrictArchive { get; }
        public int FailedPushes { get; private set; }

        /// <summary>w1's readings held as suspect (as the community's book keeps them), and what the totals and the registers stood at when they were accepted.</summary>
        public List<SuspectReading> Held { get; } = [];

        public decimal ConsumptionBeforeAccept { get; private set; }

        public decimal MovementAtAccept { get; private set; }

        public decimal HeldMovement { get; private set; }

        /// <summary>Readings the meters sent (not those they missed while silent).</summary>
        public long Published { get; private set; }

        public decimal Movement(string meter) => _registers[meter].Last - _registers[meter].First;

        public decimal Movement() => Meters.Sum(Movement);

        public static async Task<Month> RunAsync(bool failPushes = false)
        {
            var month = new Month();
            await month.RunCoreAsync(failPushes);
            return month;
        }

        private async Task RunCoreAsync(bool failPushes)
        {
            var random = new Random(17);
            var registers = Meters.ToDictionary(m => m, m => 1000m + (Array.IndexOf(Meters, m) * 250m), StringComparer.Ordinal);
            var calendar = new LocalCalendar(Berlin);
            var hour = calendar.HourStart(StartMs);
            var pushes = 0;
            // Readings every 15 minutes from each meter, a little after the quarter (meters are not synchronised).
            for (var slot = StartMs; slot < EndMs; slot += 15 * 60_000)
            {
                if (calendar.HourStart(slot) != hour)
                {
                    // An hour ended: both areas push, as their flush timers do.
                    hour = calendar.HourStart(slot);
                    await PushAsync(slot, failPushes && ++pushes % 7 == 0);
                }

                var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(slot), Berlin);
                if (local is { Day: 22, Hour: 16, Minute: 0 })
                {
                    AcceptHeld();
                }

                var night = local.Hour is >= 1 and < 5;
                var updates = new List<DeviceUpdate>();
                var today = DateOnly.FromDateTime(local.DateTime);
                foreach (var meter in Meters)
                {
                    var ts = slot + (Array.IndexOf(Meters, meter) * 7_000);
                    // Litres at night, more by day; one meter (w4) leaks a steady trickle.
                    var litres = night ? random.Next(0, 3) : random.Next(5, 60);
                    registers[meter] += (litres + (meter == "w4" ? 1 : 0)) / 1000m;
                    if (meter == "w1" && local is { Day: 22, Hour: 14, Minute: 0 })
                    {
                        registers[meter] += 20m;
                    }

                    var flow = night ? 0.01 * random.Next(0, 5) : 0.1 * random.Next(1, 20);
                    _registers[meter] = (_registers.TryGetValue(meter, out var r) ? r.First : registers[meter], registers[meter]);
                    if ((meter == "w2" && today.Day is 10 or 11) || (meter == "w3" && today.Day is >= 15 and <= 19))
                    {
                        continue;
                    }

                    var update = Device(meter).Apply(new DeviceAddress("north", "c1", Kinds.Water, meter),
                        new DeviceReading(ts, 0, false, ts + 5_000, [new MetricSample("total", (double)registers[meter]), new MetricSample("flow", flow)]));
                    _roster.Seen(meter, Kinds.Water, ts, ts + 5_000);
                    if (update.Suspect is { IsConfirmation: true } confirmed)
                    {
                        // As the community's book does: the held reading is marked, nothing new is held.
                        Held[Held.FindIndex(h => h.TimestampMs == confirmed.TimestampMs)] = confirmed;
                    }
                    else if (update.Suspect is { State: SuspectState.Held } suspect)
                    {
                        Held.Add(suspect);
                    }

                    Published++;
                    updates.Add(update);
                }

                Fold(updates.ToArray());
            }

            await PushAsync(EndMs + 60_000, fail: false);
        }

        /// <summary>The operator accepts w1's held readings, oldest first, as the device grain and the community do.</summary>
        private void AcceptHeld()
        {
            ConsumptionBeforeAccept = Community.ConsumptionOf("water");
            MovementAtAccept = Movement();
            HeldMovement = Held[^1].Register - Held[0].Baseline;
            foreach (var suspect in Held)
            {
                Fold([Device(suspect.Device).Release(new DeviceAddress("north", "c1", Kinds.Water, suspect.Device), suspect)]);
            }
        }

        private void Fold(DeviceUpdate[] updates)
        {
            var batch = new IndicatorBatch(updates, []);
            Community.Apply(batch);
            var totals = Reconciliation.ByDevice(SimulatedMonthTests.Community, batch, Community, _communityLedger, Options);
            var districtBatch = batch with { Totals = totals };
            District.Apply(districtBatch);
            Reconciliation.BySource(districtBatch, District, _districtLedger);
        }

        private async Task PushAsync(long nowMs, bool fail)
        {
            CommunityPending.ExpectThrough(nowMs, _roster.Counts(), History.HoursKept);
            DistrictPending.ExpectThrough(nowMs, _roster.Counts(), History.HoursKept);
            if (fail)
            {
                // The silo dies after the second record of the push is written: the area comes back from its stored state
                // (the pending history as it was) and pushes again.
                var stored = CommunityPending.ToState();
                _communityRecords.FailWrite = 2;
                await Assert.ThrowsAsync<IOException>(() => CommunityArchive.PushAsync(CommunityPending, nowMs));
                CommunityPending.Restore(stored);
                FailedPushes++;
            }

            await CommunityArchive.PushAsync(CommunityPending, nowMs);
            await DistrictArchive.PushAsync(DistrictPending, nowMs);
        }

        private DeviceState Device(string meter)
        {
            if (!_devices.TryGetValue(meter, out var state))
            {
                _devices[meter] = state = new DeviceState(new DeviceRules(Options, new RegisterOptions(), vee: Vee));
            }

            return state;
        }
    }
}
