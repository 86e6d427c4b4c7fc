using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;

namespace CitySense.Grains.Routing;

/// <summary>
/// One ingest batch's updates and rejections, grouped per community. Districts and the city get the communities'
/// batches as parts (<see cref="IndicatorBatch.Parts"/>), not copies of their updates.
/// </summary>
internal sealed class AreaBatches
{
    public Dictionary<string, AreaBatch> Communities { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The batch of the device's community. The router looks it up once per device and then counts and adds that
    /// device's updates to it (<see cref="AreaBatch.Expect"/>, <see cref="AreaBatch.Add"/>): a lookup per update hashed
    /// the community key twice per reading.
    /// </summary>
    public AreaBatch Of(DeviceAddress address) => Community(address.District, address.Community, address.CommunityKey);

    /// <summary>Between the passes: every community gets an array of exactly its size.</summary>
    public void Allocate()
    {
        foreach (var area in Communities.Values)
        {
            area.Allocate();
        }
    }

    public void Reject(string district, string community, string kind, RejectionReason reason, long windowStartMs) =>
        Community(district, community, AreaKeys.Community(district, community)).Reject(kind, reason, windowStartMs);

    private AreaBatch Community(string district, string community, string key)
    {
        if (!Communities.TryGetValue(key, out var batch))
        {
            batch = new AreaBatch(district, community);
            Communities.Add(key, batch);
        }

        return batch;
    }
}
