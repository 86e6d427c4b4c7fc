using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;

namespace CitySense.Ingest.Pipeline;

/// <summary>One ingest batch's updates and rejections, grouped per community, per district and for the city.</summary>
internal sealed class AreaBatches
{
    public Dictionary<string, AreaBatch> Communities { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AreaBatch> Districts { get; } = new(StringComparer.Ordinal);

    public AreaBatch City { get; } = new(AreaKeys.City, string.Empty);

    public void Add(DeviceAddress address, in DeviceUpdate update)
    {
        Community(address.District, address.Community, address.CommunityKey).Updates.Add(update);
        District(address.District).Updates.Add(update);
        City.Updates.Add(update);
    }

    public void Reject(string district, string community, string kind, RejectionReason reason, long windowStartMs)
    {
        Community(district, community, AreaKeys.Community(district, community)).Reject(kind, reason, windowStartMs);
        District(district).Reject(kind, reason, windowStartMs);
        City.Reject(kind, reason, windowStartMs);
    }

    private AreaBatch Community(string district, string community, string key)
    {
        if (!Communities.TryGetValue(key, out var batch))
        {
            batch = new AreaBatch(district, community);
            Communities.Add(key, batch);
        }

        return batch;
    }

    private AreaBatch District(string district)
    {
        if (!Districts.TryGetValue(district, out var batch))
        {
            batch = new AreaBatch(district, string.Empty);
            Districts.Add(district, batch);
        }

        return batch;
    }
}
