using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Output.Schema;
using CitySense.Output.Writing;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Areas;

/// <summary>Indicators of the whole city (one grain). Lists the districts and sums their device and alarm counts.</summary>
public sealed class CityGrain(
    [PersistentState("area", "state")] IPersistentState<CitySense.Grains.State.AreaState> store,
    IOptions<IndicatorOptions> options,
    IOptions<StateOptions> state,
    ILineSink sink,
    ILiveFeed feed,
    TimeProvider time,
    CitySense.Grains.History.HistoryContext history,
    CitySense.Contracts.Subscriptions.ISubscriptionChanges subscriptions)
    : AreaGrain(options.Value, state.Value, store, sink, feed, time, history, subscriptions), ICityGrain
{
    protected override string Level => "city";

    protected override bool PlacedByOwner => false;

    protected override string Measurement => InfluxSchema.City;

    protected override KeyValuePair<string, string>[] Tags() => InfluxSchema.AreaTags(district: null, community: null);

    protected override AreaSummary Summary() => ChildrenSummary();

    public Task RegisterDistrict(string district)
    {
        RegisterChild(district);
        return Task.CompletedTask;
    }

    public Task ReportSummary(string district, AreaSummary summary)
    {
        RecordChildSummary(district, summary);
        return Task.CompletedTask;
    }
}
