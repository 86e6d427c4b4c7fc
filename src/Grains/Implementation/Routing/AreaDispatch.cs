using CitySense.Contracts.Indicators;

namespace CitySense.Grains.Routing;

/// <summary>
/// Areas, step two of a batch, for the communities of the districts one silo owns: one call per community, then one
/// per district with its communities' batches as parts (the same arrays, not copies) and their totals. Only calls that
/// failed are retried; an area recognises a repeated batch by its id. Used by the router for its own districts and by
/// <see cref="SiloIngestGrain"/> for another silo's.
/// </summary>
internal static class AreaDispatch
{
    /// <summary>
    /// Each community's consumption totals, in the order of <see cref="AreaPart.Keys"/>. <paramref name="withCity"/>:
    /// the part is the whole batch (one silo), so the city takes it alongside the districts rather than after them.
    /// </summary>
    public static async Task<SourceTotal[][]> ApplyAsync(GrainReferences grains, GrainCalls calls, AreaPart part, bool withCity = false)
    {
        var totals = await calls.CallAllAsync(part.Keys.Length, c => grains.Community(part.Keys[c]).Apply(part.Batches[c].AsImmutable()));
        var districts = new Dictionary<string, (List<IndicatorBatch> Parts, List<SourceTotal> Totals)>(StringComparer.Ordinal);
        for (var i = 0; i < part.Keys.Length; i++)
        {
            if (!districts.TryGetValue(part.Districts[i], out var district))
            {
                districts[part.Districts[i]] = district = ([], []);
            }

            district.Parts.Add(part.Batches[i]);
            district.Totals.AddRange(totals[i]);
        }

        var names = districts.Keys.ToArray();
        var payloads = new Immutable<IndicatorBatch>[names.Length];
        for (var d = 0; d < names.Length; d++)
        {
            var (parts, districtTotals) = districts[names[d]];
            payloads[d] = new IndicatorBatch([], []) { Parts = parts.ToArray(), Totals = districtTotals.ToArray(), BatchId = part.BatchId }.AsImmutable();
        }

        if (withCity)
        {
            var city = grains.City;
            var payload = CityPayload(part.Batches, totals, part.BatchId);
            await calls.ForEachWithRetryAsync(names.Length + 1, d => d < names.Length ? grains.District(names[d]).Apply(payloads[d]) : city.Apply(payload));
        }
        else
        {
            await calls.ForEachWithRetryAsync(names.Length, d => grains.District(names[d]).Apply(payloads[d]));
        }

        return totals;
    }

    /// <summary>The city's share of a batch: every community's batch as a part, with their totals.</summary>
    public static Immutable<IndicatorBatch> CityPayload(IndicatorBatch[] batches, SourceTotal[][] totals, string batchId) =>
        new IndicatorBatch([], [])
        {
            Parts = batches,
            Totals = totals.SelectMany(t => t).ToArray(),
            BatchId = batchId,
        }.AsImmutable();
}
