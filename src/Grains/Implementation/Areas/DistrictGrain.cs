using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Sinks.Output;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Areas;

/// <summary>Indicators of one district; key = district id. Lists its communities.</summary>
public sealed class DistrictGrain(IOptions<IndicatorOptions> options, ILineSink sink, ILiveFeed feed) : AreaGrain(options.Value, sink, feed), IDistrictGrain
{
    protected override string Level => "district";

    protected override string Measurement => "citysense_district";

    protected override KeyValuePair<string, string>[] Tags() => [new("district", this.GetPrimaryKeyString())];

    public Task RegisterCommunity(string community)
    {
        AddChild(community);
        return Task.CompletedTask;
    }
}
