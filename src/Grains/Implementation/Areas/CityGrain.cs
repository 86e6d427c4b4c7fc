using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Sinks.Output;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Areas;

/// <summary>Indicators of the whole city (one grain). Lists the districts and sums their device and alarm counts.</summary>
public sealed class CityGrain(
    [PersistentState("area", "state")] IPersistentState<CitySense.Grains.State.AreaState> store,
    IOptions<IndicatorOptions> options,
    IOptions<StateOptions> state,
    ILineSink sink,
    ILiveFeed feed,
    TimeProvider time)
    : AreaGrain(options.Value, state.Value, store, sink, feed, time), ICityGrain
{
    private readonly Dictionary<string, AreaSummary> _districts = new(StringComparer.Ordinal);

    protected override string Level => "city";

    protected override string Measurement => "citysense_city";

    protected override KeyValuePair<string, string>[] Tags() => [];

    protected override AreaSummary Summary() => AreaSummary.Sum(_districts.Values);

    public Task RegisterDistrict(string district)
    {
        KeepWhileHoldingData();
        AddChild(district);
        return Task.CompletedTask;
    }

    protected override void Capture(CitySense.Grains.State.AreaState state) =>
        state.ChildSummaries = new Dictionary<string, AreaSummary>(_districts, StringComparer.Ordinal);

    protected override void Restore(CitySense.Grains.State.AreaState state)
    {
        foreach (var (child, summary) in state.ChildSummaries)
        {
            _districts[child] = summary;
        }
    }

    public Task ReportSummary(string district, AreaSummary summary)
    {
        KeepWhileHoldingData();
        AddChild(district);
        _districts[district] = summary;
        return Task.CompletedTask;
    }
}
