using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Contracts.Snapshots;
using CitySense.Sinks.Output;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Areas;

/// <summary>Indicators of the whole city (one grain). Lists the districts and sums their device and alarm counts.</summary>
public sealed class CityGrain(IOptions<IndicatorOptions> options, ILineSink sink, ILiveFeed feed, TimeProvider time)
    : AreaGrain(options.Value, sink, feed, time), ICityGrain
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

    public Task ReportSummary(string district, AreaSummary summary)
    {
        KeepWhileHoldingData();
        AddChild(district);
        _districts[district] = summary;
        return Task.CompletedTask;
    }
}
