using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;
using Orleans.Core.Internal;
using Xunit;

namespace CitySense.GrainTests;

/// <summary>
/// A community stores its alarm changes in a journal and, once the journal has grown, its whole workflow again
/// (Domain/Alarms/AlarmJournal.cs): whatever the mix, a new activation finds every alarm as it was, through Orleans
/// serialization and grain storage.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AlarmStorageTests(ClusterFixture fixture)
{
    private const long T0 = 1_764_115_200_000;

    [Fact]
    public async Task A_reactivated_community_finds_its_open_and_closed_alarms_after_many_journal_writes_and_folds()
    {
        var client = fixture.Cluster.Client;
        var community = client.GetGrain<ICommunityGrain>(new DeviceAddress("as-d", "as-c", "water", "x").CommunityKey);
        // 30 alarms raised in one batch, then every one acknowledged, 12 cleared by hand and 5 commented: each operator
        // action is stored at once, 47 stores, so the journal folds into the full copy several times (every 8 changes).
        var raised = Enumerable.Range(0, 30).Select(i => new AlarmEvent($"as-w{i}/pressure-low/{T0}", "pressure-low", AlarmSeverity.Warning,
            AlarmState.Raised, "as-d", "as-c", "water", $"as-w{i}", T0, null, 0.1, 0.1, "pressure = 0.1")).ToArray();
        var update = new DeviceUpdate("as-w0", "water", T0, T0, 0, 0, DeviceUpdateFlags.Latest, [], RejectionReason.None) { Alarms = raised };
        await community.Apply(new IndicatorBatch([update], []).AsImmutable());
        Assert.Equal(30, (await community.GetOpenAlarms()).Length);

        foreach (var alarm in raised)
        {
            Assert.Equal(AlarmOutcome.Done, (await community.OperateAlarm(alarm.AlarmId, new AlarmCommand(AlarmAction.Acknowledged, "op", null, null))).Outcome);
        }

        foreach (var alarm in raised.Take(12))
        {
            Assert.Equal(AlarmOutcome.Done, (await community.OperateAlarm(alarm.AlarmId, new AlarmCommand(AlarmAction.ClearedByHand, "op", null, "fixed"))).Outcome);
        }

        foreach (var alarm in raised.Skip(25))
        {
            Assert.Equal(AlarmOutcome.Done, (await community.OperateAlarm(alarm.AlarmId, new AlarmCommand(AlarmAction.Commented, "op", null, "crew on site"))).Outcome);
        }

        var open = await community.GetOpenAlarms();
        var closed = await community.GetAlarmHistory(0, long.MaxValue, 1000);
        Assert.Equal(18, open.Length);

        await community.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var openAfter = await community.GetOpenAlarms();
        var closedAfter = await community.GetAlarmHistory(0, long.MaxValue, 1000);
        Assert.Equal(Describe(open), Describe(openAfter));
        Assert.Equal(Describe(closed), Describe(closedAfter));
        Assert.All(openAfter.Skip(13), r => Assert.Equal("crew on site", r.Last.Comment));
        Assert.Equal(12, closedAfter.Count(r => r.Status.Closed));
    }

    private static string[] Describe(IEnumerable<AlarmRecord> records) =>
        records.Select(r => $"{r.Alarm.AlarmId} v{r.Status.Version} {r.Status.Condition} {r.Audit.Length} {r.Last.Action} {r.Last.Comment}").ToArray();
}
