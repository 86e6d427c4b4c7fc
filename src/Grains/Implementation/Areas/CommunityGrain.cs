using CitySense.Contracts.Grains;
using CitySense.Contracts.Indicators;
using CitySense.Contracts.Live;
using CitySense.Sinks.Output;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Areas;

/// <summary>Indicators of one community; key "{district}/{community}".</summary>
public sealed class CommunityGrain(IOptions<IndicatorOptions> options, ILineSink sink, ILiveFeed feed) : AreaGrain(options.Value, sink, feed), ICommunityGrain
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
