using CitySense.Contracts.Indicators;
using CitySense.Contracts.Routing;
using CitySense.Contracts.Telemetry;
using CitySense.Grains.Placement;
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
/// then, with every area's state stored, is the batch applied. With several silos each shard and district lives on
/// the silo that owns it (<see cref="OwnerPlacement"/>) and the router sends each other silo its share of a phase in
/// one call (<see cref="ISiloIngestGrain"/>), so a batch crosses silos a few times, not once per grain it touches. Each level reconciles against the totals of the level
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
    // The calls this silo makes to its own grains while other silos' parts are in flight: retried on their own.
    private readonly GrainCalls _localCalls;
    private readonly IngestOwners _owners;
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
        ILogger<HierarchyRouter> logger,
        IngestOwners? owners = null)
    {
        var shards = Math.Max(1, devices.Value.Shards);
        _indicators = indicators.Value;
        _rawReadings = influx.Value.RawReadings;
        _sink = sink;
        _grains = new GrainReferences(grains, shards);
        _calls = new GrainCalls(routing.Value, logger);
        _localCalls = new GrainCalls(routing.Value, logger);
        _owners = routing.Value.RouteByOwner ? owners ?? IngestOwners.Local : IngestOwners.Local;
        _shards = new ShardDispatch(_grains, _calls, _localCalls, _owners, shards);
    }

    public async Task<RoutingResult> ApplyAsync(IDecodedBatch batch)
    {
        var (devices, inputs) = _deviceGroups.Group(batch);
        var results = await _shards.ApplyAsync(devices, inputs);
        var (areas, accepted, refused) = GroupPerArea(devices, inputs, results, batch.Rejections);
        await RegisterNewAreasAsync(areas);
        var batchId = $"{_routerId}:{++_sequence}";
        await ApplyToAreasAsync(areas, batchId);
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
    /// Communities, then their districts (<see cref="AreaDispatch"/>); with several silos, the districts another silo
    /// owns in one call to that silo (<see cref="ISiloIngestGrain"/>), all at once. Each area stores its state and the
    /// communities return their consumption totals, which the districts and then the city reconcile against.
    /// </summary>
    private async Task ApplyToAreasAsync(AreaBatches areas, string batchId)
    {
        var communities = areas.Communities.Values.ToArray();
        if (communities.Length == 0)
        {
            return;
        }

        var keys = areas.Communities.Keys.ToArray();
        var districts = new string[communities.Length];
        var batches = new IndicatorBatch[communities.Length];
        for (var i = 0; i < communities.Length; i++)
        {
            districts[i] = communities[i].District;
            batches[i] = communities[i].ToBatch() with { BatchId = batchId };
        }

        var view = _owners.Current;
        if (view.AllLocal)
        {
            await AreaDispatch.ApplyAsync(_grains, _calls, new AreaPart(keys, districts, batches, batchId), withCity: true);
            return;
        }

        // The city needs every silo's community totals: it comes last, once per batch, wherever it lives.
        var totals = await ApplyPerOwnerAsync(view, keys, districts, batches, batchId);
        var city = _grains.City;
        var payload = AreaDispatch.CityPayload(batches, totals, batchId);
        await _calls.ForEachWithRetryAsync(1, _ => city.Apply(payload));
    }

    private async Task<SourceTotal[][]> ApplyPerOwnerAsync(OwnerView view, string[] keys, string[] districts, IndicatorBatch[] batches, string batchId)
    {
        var groups = new Dictionary<int, List<int>>();
        for (var i = 0; i < keys.Length; i++)
        {
            var owner = view.OwnerOfDistrict(districts[i]);
            if (!groups.TryGetValue(owner, out var members))
            {
                groups[owner] = members = [];
            }

            members.Add(i);
        }

        var owners = groups.Keys.ToArray();
        var totals = new SourceTotal[keys.Length][];
        await _calls.ForEachWithRetryAsync(owners.Length, async g =>
        {
            var members = groups[owners[g]];
            var part = new AreaPart(
                members.Select(m => keys[m]).ToArray(),
                members.Select(m => districts[m]).ToArray(),
                members.Select(m => batches[m]).ToArray(),
                batchId);
            var result = owners[g] == view.Local
                ? await AreaDispatch.ApplyAsync(_grains, _localCalls, part)
                : (await _grains.Silo(view.Silos[owners[g]]).ApplyAreas(part.AsImmutable())).Value;
            for (var m = 0; m < members.Count; m++)
            {
                totals[members[m]] = result[m];
            }
        });
        return totals;
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
