using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Sinks.Output;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Areas;

/// <summary>Indicators of one community; key "{district}/{community}".</summary>
public sealed class CommunityGrain(IOptions<IndicatorOptions> options, ILineSink sink) : AreaGrain(options.Value, sink), ICommunityGrain
{
    protected override string Level => "community";

    protected override string Measurement => "citysense_community";

    protected override KeyValuePair<string, string>[] Tags()
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/');
        return [new("district", key[..slash]), new("community", key[(slash + 1)..])];
    }
}
