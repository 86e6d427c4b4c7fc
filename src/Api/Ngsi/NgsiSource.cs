using System.Text.Json.Nodes;
using CitySense.Contracts.Alarms;
using CitySense.Contracts.Areas;
using CitySense.Contracts.Devices;
using CitySense.Contracts.Snapshots;
using CitySense.Contracts.Telemetry;
using CitySense.Live;

namespace CitySense.Api.Ngsi;

/// <summary>
/// Reads the grains and the alarm book into NGSI-LD entities: one by id, or every entity of some types (the city from
/// the top: its districts, their communities, their devices).
/// </summary>
public sealed class NgsiSource(IGrainFactory grains, AlarmBook alarms, NgsiOptions options)
{
    private static readonly HashSet<string> DeviceTypes = new(StringComparer.Ordinal)
        { NgsiTypes.Device, NgsiTypes.WaterConsumptionObserved, NgsiTypes.SmartMeteringObservation, NgsiTypes.DeviceMeasurement };

    /// <summary>The entity, or null when CitySense has no such entity.</summary>
    public async Task<JsonObject?> EntityAsync(string id)
    {
        if (!NgsiIds.TryParse(id, out var type, out var parts))
        {
            return null;
        }

        switch (type)
        {
            case NgsiTypes.City:
                return parts[0] == AreaKeys.City ? NgsiEntities.Area(await grains.GetGrain<ICityGrain>(AreaKeys.City).GetSnapshot()) : null;
            case NgsiTypes.District or NgsiTypes.Community:
                return await AreaAsync(type, parts) is { } area ? NgsiEntities.Area(area) : null;
            case NgsiTypes.DataQualityAssessment:
                return await AreaAsync(parts[0], parts[1..]) is { } assessed && NgsiEntities.Quality(assessed) is { } quality && (string?)quality["id"] == id ? quality : null;
            case NgsiTypes.Alert:
                var alarmId = string.Join('/', parts);
                var alarm = alarms.ActiveUpdates(a => a.AlarmId == alarmId).FirstOrDefault() ?? alarms.Recent(a => a.AlarmId == alarmId).FirstOrDefault();
                return alarm is null ? null : NgsiEntities.Alert(alarm.Alarm, alarm.Status);
        }

        var device = parts[0];
        var snapshot = await grains.GetGrain<IDeviceGrain>(device).GetSnapshot();
        switch (type)
        {
            case NgsiTypes.Device when snapshot is not null:
                return NgsiEntities.Device(snapshot, await OnlineAsync(snapshot.District, snapshot.Community, device));
            case NgsiTypes.Device:
                var profile = await grains.GetGrain<IDeviceGrain>(device).GetProfile();
                return profile is null || profile.Decommissioned || string.IsNullOrEmpty(profile.Community)
                    ? null
                    : NgsiEntities.Device(device, profile.District, profile.Community, profile.Kind, await OnlineAsync(profile.District, profile.Community, device));
            case NgsiTypes.WaterConsumptionObserved or NgsiTypes.SmartMeteringObservation when snapshot is not null && NgsiIds.MeterType(snapshot.Kind) == type:
                return NgsiEntities.Meter(snapshot, alarms.Active(a => a.Device == device));
            case NgsiTypes.DeviceMeasurement when snapshot is not null:
                return NgsiEntities.Measurements(snapshot).FirstOrDefault(m => (string?)m["id"] == id);
            default:
                return null;
        }
    }

    /// <summary>
    /// Every entity of the types, ordered by id; null with <paramref name="tooMany"/> set when answering would read more
    /// than Ngsi:MaxDevicesScanned devices.
    /// </summary>
    public async Task<List<JsonObject>?> EntitiesAsync(IReadOnlySet<string> types, Action<string> tooMany)
    {
        var found = new List<JsonObject>();
        var city = await grains.GetGrain<ICityGrain>(AreaKeys.City).GetSnapshot();
        AddArea(found, types, city);
        var needCommunities = types.Overlaps(DeviceTypes) || types.Contains(NgsiTypes.Community) || types.Contains(NgsiTypes.DataQualityAssessment);
        var communities = new List<(string District, string Community)>();
        if (types.Contains(NgsiTypes.District) || needCommunities)
        {
            foreach (var district in city.Children)
            {
                var snapshot = await grains.GetGrain<IDistrictGrain>(district).GetSnapshot();
                AddArea(found, types, snapshot);
                communities.AddRange(snapshot.Children.Select(c => (district, c)));
            }
        }

        var devices = new List<(string District, string Community, CommunityDevice Device)>();
        if (needCommunities)
        {
            foreach (var (district, community) in communities)
            {
                var grain = grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community));
                if (types.Contains(NgsiTypes.Community) || types.Contains(NgsiTypes.DataQualityAssessment))
                {
                    AddArea(found, types, await grain.GetSnapshot());
                }

                if (types.Overlaps(DeviceTypes))
                {
                    devices.AddRange((await grain.GetDevices()).Select(d => (district, community, d)));
                    if (devices.Count > options.MaxDevicesScanned)
                    {
                        tooMany($"Answering would read more than {options.MaxDevicesScanned} devices (Ngsi:MaxDevicesScanned): ask by id, or for fewer types.");
                        return null;
                    }
                }
            }
        }

        // Bounded fan-out: a grain call per device, a batch at a time, so a large community does not flood the silo.
        foreach (var chunk in devices.Chunk(64))
        {
            var snapshots = await Task.WhenAll(chunk.Select(d => grains.GetGrain<IDeviceGrain>(d.Device.Device).GetSnapshot()));
            for (var i = 0; i < chunk.Length; i++)
            {
                AddDevice(found, types, chunk[i].District, chunk[i].Community, chunk[i].Device, snapshots[i]);
            }
        }

        if (types.Contains(NgsiTypes.Alert))
        {
            found.AddRange(alarms.ActiveUpdates().Select(u => NgsiEntities.Alert(u.Alarm, u.Status)));
        }

        found.Sort((a, b) => string.CompareOrdinal((string?)a["id"], (string?)b["id"]));
        return found;
    }

    /// <summary>
    /// The types of the entities that exist now, in <see cref="NgsiTypes.All"/>'s order, from the city's snapshot alone
    /// (its kinds, device counts, children and quality) and the alarm book: no scan of districts or devices.
    /// </summary>
    public async Task<IReadOnlyList<string>> TypesAsync()
    {
        var city = await grains.GetGrain<ICityGrain>(AreaKeys.City).GetSnapshot();
        var reported = city.Kinds.Select(k => k.Kind).ToHashSet(StringComparer.Ordinal);
        var registered = city.Summary.Devices.Any(d => d.Registered > 0);
        var exists = new HashSet<string>(StringComparer.Ordinal) { NgsiTypes.City };
        if (city.Children.Length > 0)
        {
            // A district exists only through its communities.
            exists.UnionWith([NgsiTypes.District, NgsiTypes.Community]);
        }

        if (reported.Count > 0 || registered)
        {
            exists.Add(NgsiTypes.Device);
        }

        if (reported.Contains(Kinds.Water))
        {
            exists.Add(NgsiTypes.WaterConsumptionObserved);
        }

        if (reported.Contains(Kinds.Heat) || reported.Contains(Kinds.Gas))
        {
            exists.Add(NgsiTypes.SmartMeteringObservation);
        }

        if (reported.Any(k => Kinds.RegisterMetric(k) is null))
        {
            exists.Add(NgsiTypes.DeviceMeasurement);
        }

        if (alarms.Active().Count > 0)
        {
            exists.Add(NgsiTypes.Alert);
        }

        if (city.Quality.Length > 0)
        {
            exists.Add(NgsiTypes.DataQualityAssessment);
        }

        return NgsiTypes.All.Where(exists.Contains).ToArray();
    }

    /// <summary>The ids of the areas or meters of a type, ordered, for temporal queries (which read history per entity).</summary>
    public async Task<List<(string Id, string? District, string? Community, string? Device, string? Kind)>?> TemporalIdsAsync(string type, Action<string> tooMany)
    {
        var ids = new List<(string, string?, string?, string?, string?)>();
        var city = await grains.GetGrain<ICityGrain>(AreaKeys.City).GetSnapshot();
        if (type == NgsiTypes.City)
        {
            ids.Add((NgsiIds.City(), null, null, null, null));
            return ids;
        }

        var scanned = 0;
        foreach (var district in city.Children.Order(StringComparer.Ordinal))
        {
            if (type == NgsiTypes.District)
            {
                ids.Add((NgsiIds.District(district), district, null, null, null));
                continue;
            }

            foreach (var community in (await grains.GetGrain<IDistrictGrain>(district).GetSnapshot()).Children.Order(StringComparer.Ordinal))
            {
                if (type == NgsiTypes.Community)
                {
                    ids.Add((NgsiIds.Community(district, community), district, community, null, null));
                    continue;
                }

                var members = await grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community)).GetDevices();
                scanned += members.Length;
                if (scanned > options.MaxDevicesScanned)
                {
                    tooMany($"Answering would read more than {options.MaxDevicesScanned} devices (Ngsi:MaxDevicesScanned): ask by id.");
                    return null;
                }

                ids.AddRange(members.Where(d => Kinds.RegisterMetric(d.Kind) is not null && NgsiIds.MeterType(d.Kind) == type)
                    .Select(d => (NgsiIds.Meter(d.Kind, d.Device), (string?)district, (string?)community, (string?)d.Device, (string?)d.Kind)));
            }
        }

        ids.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return ids;
    }

    /// <summary>The area's snapshot when it is known (the same rule as the REST API's 404), else null.</summary>
    private async Task<AreaSnapshot?> AreaAsync(string type, string[] parts)
    {
        switch (type)
        {
            case NgsiTypes.City:
                return parts.Length == 1 && parts[0] == AreaKeys.City ? await grains.GetGrain<ICityGrain>(AreaKeys.City).GetSnapshot() : null;
            case NgsiTypes.District when parts.Length == 1:
                var district = await grains.GetGrain<IDistrictGrain>(parts[0]).GetSnapshot();
                return district.Kinds.Length == 0 && district.Children.Length == 0 ? null : district;
            case NgsiTypes.Community when parts.Length == 2:
                var community = await grains.GetGrain<ICommunityGrain>(AreaKeys.Community(parts[0], parts[1])).GetSnapshot();
                return community.Kinds.Length == 0 && community.Summary.Devices.Length == 0 ? null : community;
            default:
                return null;
        }
    }

    private async Task<bool?> OnlineAsync(string district, string community, string device) =>
        (await grains.GetGrain<ICommunityGrain>(AreaKeys.Community(district, community)).GetDevices()).FirstOrDefault(d => d.Device == device)?.Online;

    private static void AddArea(List<JsonObject> found, IReadOnlySet<string> types, AreaSnapshot area)
    {
        var type = area.Level switch { "community" => NgsiTypes.Community, "district" => NgsiTypes.District, _ => NgsiTypes.City };
        if (types.Contains(type))
        {
            found.Add(NgsiEntities.Area(area));
        }

        if (types.Contains(NgsiTypes.DataQualityAssessment) && NgsiEntities.Quality(area) is { } quality)
        {
            found.Add(quality);
        }
    }

    private void AddDevice(List<JsonObject> found, IReadOnlySet<string> types, string district, string community, CommunityDevice device, DeviceSnapshot? snapshot)
    {
        if (types.Contains(NgsiTypes.Device))
        {
            found.Add(snapshot is null
                ? NgsiEntities.Device(device.Device, district, community, device.Kind, device.Online)
                : NgsiEntities.Device(snapshot, device.Online));
        }

        if (snapshot is null)
        {
            return;
        }

        if (types.Contains(NgsiIds.MeterType(snapshot.Kind)) && NgsiEntities.Meter(snapshot, alarms.Active(a => a.Device == snapshot.Device)) is { } meter)
        {
            found.Add(meter);
        }

        if (types.Contains(NgsiTypes.DeviceMeasurement))
        {
            found.AddRange(NgsiEntities.Measurements(snapshot));
        }
    }
}
