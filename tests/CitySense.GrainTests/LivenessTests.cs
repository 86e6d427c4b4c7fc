using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using Xunit;

namespace CitySense.GrainTests;

/// <summary>Offline detection: one timer per community, silence measured on the (fake) silo clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LivenessTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_device_silent_for_three_intervals_and_at_least_fifteen_minutes_goes_offline_and_comes_back()
    {
        var community = fixture.Cluster.Client.GetGrain<ICommunityGrain>(AreaKeys.Community("lv-d", "lv-c"));
        var now = fixture.Time.GetUtcNow().ToUnixTimeMilliseconds();
        // Two devices reporting every 10 minutes: offline after max(3 × 10 min, 15 min) = 30 min of silence.
        await community.Apply(Batch(("lv-1", now - 600_000), ("lv-2", now - 600_000)));
        await community.Apply(Batch(("lv-1", now), ("lv-2", now)));
        await WaitForAsync(community, c => c.Online == 2, "both online");

        fixture.Time.Advance(TimeSpan.FromMinutes(20));
        await community.Apply(Batch(("lv-2", fixture.Time.GetUtcNow().ToUnixTimeMilliseconds())));
        fixture.Time.Advance(TimeSpan.FromMinutes(11));

        // lv-1 has now been silent 31 min (> 30), lv-2 only 11 min.
        var snapshot = await WaitForAsync(community, c => c.Offline == 1, "lv-1 offline");
        var counts = Assert.Single(snapshot.Summary.Devices);
        Assert.Equal(("water", 2L, 2L, 1L, 1L), (counts.Kind, counts.Registered, counts.Reporting, counts.Online, counts.Offline));
        var alarm = Assert.Single(snapshot.ActiveAlarms);
        Assert.Equal(("lv-1", "offline", AlarmState.Raised, now), (alarm.Device, alarm.Type, alarm.State, alarm.StartMs));

        var district = fixture.Cluster.Client.GetGrain<IDistrictGrain>("lv-d");
        await Wait.UntilAsync(async () => (await district.GetSnapshot()).Summary.Devices.SingleOrDefault()?.Offline == 1, TimeSpan.FromSeconds(20), "the district to count it");

        await community.Apply(Batch(("lv-1", fixture.Time.GetUtcNow().ToUnixTimeMilliseconds())));
        snapshot = await community.GetSnapshot();
        Assert.Empty(snapshot.ActiveAlarms);
        var cleared = snapshot.RecentAlarms.First();
        Assert.Equal((AlarmState.Cleared, alarm.AlarmId), (cleared.State, cleared.AlarmId));
        Assert.Equal(2, Assert.Single(snapshot.Summary.Devices).Online);
    }

    private static Task<AreaSnapshot> WaitForAsync(ICommunityGrain community, Func<DeviceCounts, bool> condition, string what) => Wait.UntilAsync(
        community.GetSnapshot, snapshot => snapshot.Summary.Devices.SingleOrDefault() is { } counts && condition(counts), TimeSpan.FromSeconds(20), what);

    private static Immutable<IndicatorBatch> Batch(params (string Device, long AtMs)[] readings) => new IndicatorBatch(
        readings.Select(r => new DeviceUpdate(r.Device, "water", r.AtMs, r.AtMs / 60_000 * 60_000, 0, 0, DeviceUpdateFlags.Latest, [new MetricSample("flow", 0.1)], RejectionReason.None)
        {
            ReceivedAtMs = r.AtMs,
        }).ToArray(),
        []).AsImmutable();
}
