using CitySense.Contracts.Indicators;
using CitySense.Contracts.Telemetry;

namespace CitySense.Ingest.Pipeline;

/// <summary>One ingest batch's updates and rejections, grouped per community, per district and for the city.</summary>
internal sealed class AreaBatches
{
    public Dictionary<string, AreaBatch> Communities { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AreaBatch> Districts { get; } = new(StringComparer.Ordinal);

    public AreaBatch City { get; } = new(AreaKeys.City, string.Empty);

    /// <summary>First pass: one more update will come for this device's areas.</summary>
    public void Expect(DeviceAddress address)
    {
        Community(address.District, address.Community, address.CommunityKey).Expect();
        District(address.District).Expect();
        City.Expect();
    }

    /// <summary>Between the passes: every area gets an array of exactly its size.</summary>
    public void Allocate()
    {
        foreach (var area in Communities.Values)
        {
            area.Allocate();
        }

        foreach (var area in Districts.Values)
        {
            area.Allocate();
        }

        City.Allocate();
    }

    public void Add(DeviceAddress address, in DeviceUpdate update)
    {
        Community(address.District, address.Community, address.CommunityKey).Add(update);
        District(address.District).Add(update);
        City.Add(update);
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
