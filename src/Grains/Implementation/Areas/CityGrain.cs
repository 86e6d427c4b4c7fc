using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Sinks.Output;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Areas;

/// <summary>Indicators of the whole city (one grain). Lists the districts.</summary>
public sealed class CityGrain(IOptions<IndicatorOptions> options, ILineSink sink, ILiveFeed feed) : AreaGrain(options.Value, sink, feed), ICityGrain
{
    protected override string Level => "city";

    protected override string Measurement => "citysense_city";

    protected override KeyValuePair<string, string>[] Tags() => [];

    public Task RegisterDistrict(string district)
    {
        AddChild(district);
        return Task.CompletedTask;
    }
}
