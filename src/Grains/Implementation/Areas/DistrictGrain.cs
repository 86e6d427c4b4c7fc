using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Grains.Domain.Areas;
using CitySense.Output.Schema;
using CitySense.Output.Writing;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Areas;

/// <summary>Indicators of one district; key = district id. Lists its communities and sums their device and alarm counts.</summary>
[CitySense.Grains.Placement.AreaOwnerPlacement]
public sealed class DistrictGrain(
    [PersistentState("area", "state")] IPersistentState<CitySense.Grains.State.AreaState> store,
    IOptions<IndicatorOptions> options,
    IOptions<StateOptions> state,
    ILineSink sink,
    ILiveFeed feed,
    TimeProvider time,
    CitySense.Grains.History.HistoryContext history,
    AreaReports reports,
    CitySense.Contracts.Subscriptions.ISubscriptionChanges subscriptions)
    : AreaGrain(options.Value, state.Value, store, sink, feed, time, history, subscriptions), IDistrictGrain
{
    // The counts as last reported, kept as values (KeptSummary says why).
    private readonly KeptSummary _reported = new();

    protected override string Level => "district";

    protected override string Measurement => InfluxSchema.District;

    protected override KeyValuePair<string, string>[] Tags() => InfluxSchema.AreaTags(this.GetPrimaryKeyString(), community: null);

    protected override AreaSummary Summary() => ChildrenSummary();

    public Task RegisterCommunity(string community)
    {
        RegisterChild(community);
        return Task.CompletedTask;
    }

    public Task ReportSummary(string community, AreaSummary summary)
    {
        RecordChildSummary(community, summary);
        return Task.CompletedTask;
    }

    protected override async Task ReportUpward()
    {
        var summary = Summary();
        if (!_reported.SameAs(summary)
            && await reports.TrySendAsync(() => GrainFactory.GetGrain<ICityGrain>(Contracts.Telemetry.AreaKeys.City).ReportSummary(this.GetPrimaryKeyString(), summary)))
        {
            _reported.Keep(summary);
        }
    }
}
