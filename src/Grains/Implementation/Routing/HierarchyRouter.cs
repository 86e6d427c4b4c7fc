using CitySense.Contracts.Indicators;
using CitySense.Contracts.Routing;
using CitySense.Contracts.Telemetry;
using CitySense.Output.LineProtocol;
using CitySense.Output.Schema;
using CitySense.Output.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CitySense.Grains.Routing;

/// <summary>
/// Routes a batch through the hierarchy, one level after the other: the readings grouped per device go to the devices'
/// shard grains (one call per shard, in parallel); their updates grouped per community go to the community grains;
/// then, with the communities' consumption totals, to the districts and the city (one call per area per batch). Only
/// then, with every area's state stored, is the batch applied. Each level reconciles against the totals of the level
/// below, and recognises a repeated batch by its id, so a retried call never counts consumption twice or loses it.
/// One batch at a time (the ingest worker's), so its reused arrays need no locking.
/// </summary>
public sealed class HierarchyRouter : IReadingRouter
{
    private readonly IndicatorOptions _indicators;
    private readonly bool _rawReadings;
    private readonly ILineSink _sink;
    private readonly GrainReferences _grains;
    private readonly GrainCalls _calls;
    private readonly DeviceGroups _deviceGroups = new();
    private readonly ShardDispatch _shards;
    // Batch ids: this router's (a silo's lifetime) prefix and a sequence. An area that applied a batch and lost its
    // answer recognises the retry by it.
    private readonly string _routerId = Guid.NewGuid().ToString("N")[..12];
    private long _sequence;
    private readonly HashSet<string> _knownCommunities = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownDistricts = new(StringComparer.Ordinal);
    private readonly LineBuilder _rawLines = new();

    public HierarchyRouter(
        IGrainFactory grains,
        ILineSink sink,
        IOptions<IndicatorOptions> indicators,
        IOptions<InfluxOptions> influx,
        IOptions<RoutingOptions> routing,
        IOptions<DeviceOptions> devices,
        ILogger<HierarchyRouter> logger)
    {
        var shards = Math.Max(1, devices.Value.Shards);
        _indicators = indicators.Value;
        _rawReadings = influx.Value.RawReadings;
        _sink = sink;
        _grains = new GrainReferences(grains, shards);
        _calls = new GrainCalls(routing.Value, logger);
        _shards = new ShardDispatch(_grains, _calls, shards);
    }

    public async Task<RoutingResult> ApplyAsync(IDecodedBatch batch)
    {
        var (devices, inputs) = _deviceGroups.Group(batch);
        var results = await _shards.ApplyAsync(devices, inputs);
        var (areas, accepted, refused) = GroupPerArea(devices, inputs, results, batch.Rejections);
        await RegisterNewAreasAsync(areas);
        var batchId = $"{_routerId}:{++_sequence}";
        var (communities, batches, totals) = await ApplyToCommunitiesAsync(areas, batchId);
        await ApplyToDistrictsAndCityAsync(communities, batches, totals, batchId);
        if (_rawReadings)
        {
            WriteRaw(devices, results);
        }

        return new RoutingResult(accepted, refused ?? RoutingResult.NoneRefused);
    }

    /// <summary>The updates per community, counted first and then filled into arrays of exactly the right size.</summary>
    private (AreaBatches Areas, int Accepted, List<DeviceRefusal>? Refused) GroupPerArea(
        DeviceAddress[] devices, DeviceReading[][] inputs, DeviceUpdate[][] results, IReadOnlyList<DecodedRejection> rejections)
    {
        var areas = new AreaBatches();
        var areaOf = new AreaBatch[devices.Length];
        for (var d = 0; d < devices.Length; d++)
        {
            var area = areaOf[d] = areas.Of(devices[d]);
            foreach (var update in results[d])
            {
                if (update.Accepted)
                {
                    area.Expect();
                }
            }
        }

        areas.Allocate();
        var accepted = 0;
        List<DeviceRefusal>? refused = null;
        for (var d = 0; d < devices.Length; d++)
        {
            var address = devices[d];
            var updates = results[d];
            for (var u = 0; u < updates.Length; u++)
            {
                if (updates[u].Accepted)
                {
                    areaOf[d].Add(updates[u]);
                    accepted++;
                }
                else
                {
                    areas.Reject(address.District, address.Community, address.Kind, updates[u].Rejection, _indicators.WindowStart(inputs[d][u].ReceivedAtMs));
                    (refused ??= []).Add(new DeviceRefusal(address, updates[u].Rejection));
                }
            }
        }

        foreach (var rejection in rejections)
        {
            areas.Reject(rejection.District, rejection.Community, rejection.Kind, rejection.Reason, _indicators.WindowStart(rejection.ReceivedAtMs));
        }

        return (areas, accepted, refused);
    }

    /// <summary>The city knows its districts and each district its communities before their numbers arrive.</summary>
    private async Task RegisterNewAreasAsync(AreaBatches areas)
    {
        var newCommunities = areas.Communities.Where(c => !_knownCommunities.Contains(c.Key)).ToList();
        await _calls.ForEachWithRetryAsync(newCommunities.Count, i =>
            _grains.District(newCommunities[i].Value.District).RegisterCommunity(newCommunities[i].Value.Community));
        _knownCommunities.UnionWith(newCommunities.Select(c => c.Key));
        var newDistricts = areas.Communities.Values.Select(c => c.District).Where(d => !_knownDistricts.Contains(d)).Distinct(StringComparer.Ordinal).ToList();
        await _calls.ForEachWithRetryAsync(newDistricts.Count, i => _grains.City.RegisterDistrict(newDistricts[i]));
        _knownDistricts.UnionWith(newDistricts);
    }

    /// <summary>
    /// One call per community; only calls that failed are retried. Each stores its state and returns its consumption
    /// totals, which the district and the city reconcile against.
    /// </summary>
    private async Task<(AreaBatch[] Communities, IndicatorBatch[] Batches, SourceTotal[][] Totals)> ApplyToCommunitiesAsync(AreaBatches areas, string batchId)
    {
        var keys = areas.Communities.Keys.ToArray();
        var communities = areas.Communities.Values.ToArray();
        var batches = new IndicatorBatch[communities.Length];
        for (var i = 0; i < communities.Length; i++)
        {
            batches[i] = communities[i].ToBatch() with { BatchId = batchId };
        }

        var totals = await _calls.CallAllAsync(communities.Length, c => _grains.Community(keys[c]).Apply(batches[c].AsImmutable()));
        return (communities, batches, totals);
    }

    /// <summary>Districts and the city: the communities' batches as parts (not copied), with the communities' totals.</summary>
    private Task ApplyToDistrictsAndCityAsync(AreaBatch[] communities, IndicatorBatch[] batches, SourceTotal[][] totals, string batchId)
    {
        var districts = new Dictionary<string, (List<IndicatorBatch> Parts, List<SourceTotal> Totals)>(StringComparer.Ordinal);
        for (var i = 0; i < communities.Length; i++)
        {
            if (!districts.TryGetValue(communities[i].District, out var district))
            {
                districts[communities[i].District] = district = ([], []);
            }

            district.Parts.Add(batches[i]);
            district.Totals.AddRange(totals[i]);
        }

        var calls = new List<Func<Task>>(districts.Count + 1);
        foreach (var (district, (parts, districtTotals)) in districts)
        {
            var payload = new IndicatorBatch([], []) { Parts = parts.ToArray(), Totals = districtTotals.ToArray(), BatchId = batchId }.AsImmutable();
            var reference = _grains.District(district);
            calls.Add(() => reference.Apply(payload));
        }

        if (communities.Length > 0)
        {
            var payload = new IndicatorBatch([], [])
            {
                Parts = batches,
                Totals = totals.SelectMany(t => t).ToArray(),
                BatchId = batchId,
            }.AsImmutable();
            var city = _grains.City;
            calls.Add(() => city.Apply(payload));
        }

        return _calls.ForEachWithRetryAsync(calls.Count, i => calls[i]());
    }

    private void WriteRaw(DeviceAddress[] devices, DeviceUpdate[][] results)
    {
        _rawLines.Clear();
        for (var d = 0; d < devices.Length; d++)
        {
            foreach (var update in results[d])
            {
                // Raw points are readings applied: not duplicates (a seq repeat with another ts would add a point), not late ones.
                if (update.CountsInWindow)
                {
                    InfluxSchema.DeviceReading(_rawLines, devices[d], update.Metrics, update.TimestampMs);
                }
            }
        }

        _sink.Write(_rawLines.Written, _rawLines.Lines);
    }
}
